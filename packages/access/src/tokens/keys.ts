import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWK } from 'jose';

/** What jose's `jwtVerify` takes as its key: one key, or a key-set resolver. */
export type VerifyKey =
  | KeyObject
  | ReturnType<typeof createRemoteJWKSet>
  | ReturnType<typeof createLocalJWKSet>;

export interface RemoteJwksOptions {
  url: string | URL;
  /** Least time between two refetches when a token names an unknown `kid`. Default 30 s. */
  cooldownMs?: number;
  /** How long fetched keys are trusted before the set is fetched again. Default 10 min. */
  cacheMaxAgeMs?: number;
  /** Deadline of one fetch. Default 5 s. */
  timeoutMs?: number;
}

export interface KeySource {
  /** HS256/384/512 shared secret, at least 32 bytes. */
  secret?: string | Uint8Array;
  /** An RSA, EC or Ed25519 public key: PEM (SPKI or certificate), a JWK or a KeyObject. */
  publicKey?: string | JWK | KeyObject;
  /** A JWKS URL, fetched, cached and refetched on an unknown `kid` (key rotation). */
  jwks?: string | URL | RemoteJwksOptions;
  /** A key set held in memory. */
  keys?: JSONWebKeySet;
}

const HMAC = ['HS256', 'HS384', 'HS512'];
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const CURVES: Record<string, string> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
/** Every asymmetric algorithm jose verifies: a key set never admits HMAC or `none`. */
export const ASYMMETRIC = [...RSA, 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** The key and the algorithms it may verify: HMAC for a secret, its own family for a public key. */
export function resolveKey(source: KeySource): { key: VerifyKey; algorithms: string[] } {
  const given = (['secret', 'publicKey', 'jwks', 'keys'] as const).filter(
    (k) => source[k] !== undefined,
  );
  if (given.length !== 1) {
    throw new TypeError(
      `jwtVerifier: give exactly one of secret, publicKey, jwks, keys (got ${given.join(', ') || 'none'})`,
    );
  }
  if (source.secret !== undefined) {
    const bytes = typeof source.secret === 'string' ? Buffer.from(source.secret) : source.secret;
    if (bytes.byteLength < 32) throw new TypeError('jwtVerifier: secret must be at least 32 bytes');
    return { key: createSecretKey(bytes), algorithms: HMAC };
  }
  if (source.publicKey !== undefined) {
    const key = publicKeyOf(source.publicKey);
    return { key, algorithms: algorithmsFor(key) };
  }
  if (source.keys !== undefined)
    return { key: createLocalJWKSet(source.keys), algorithms: ASYMMETRIC };
  const remote: RemoteJwksOptions =
    typeof source.jwks === 'string' || source.jwks instanceof URL
      ? { url: source.jwks }
      : (source.jwks as RemoteJwksOptions);
  const url = new URL(remote.url);
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new TypeError('jwtVerifier: jwks url must be https (plain http only on loopback)');
  }
  const key = createRemoteJWKSet(url, {
    cooldownDuration: remote.cooldownMs ?? 30_000,
    cacheMaxAge: remote.cacheMaxAgeMs ?? 600_000,
    timeoutDuration: remote.timeoutMs ?? 5000,
  });
  return { key, algorithms: ASYMMETRIC };
}

function publicKeyOf(input: string | JWK | KeyObject): KeyObject {
  if (typeof input === 'string') return createPublicKey(input);
  if ('asymmetricKeyType' in input || 'export' in input) {
    const key = input as KeyObject;
    if (key.type !== 'public') throw new TypeError('jwtVerifier: publicKey must be a public key');
    return key;
  }
  if ((input as JWK).d !== undefined)
    throw new TypeError('jwtVerifier: publicKey is a private JWK');
  return createPublicKey({ key: input as JWK & { kty: string }, format: 'jwk' });
}

function algorithmsFor(key: KeyObject): string[] {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return RSA;
  if (type === 'ec') {
    const alg = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return [alg];
  }
  if (type === 'ed25519') return ['EdDSA', 'Ed25519'];
  throw new TypeError(`jwtVerifier: unsupported public key type ${String(type)}`);
}
