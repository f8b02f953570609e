import type { ActorType } from '@platform/core';
import {
  type JWTPayload,
  type JWTVerifyResult,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { AccessError, isAccessError } from '../roles/refusal.js';
import { type ClaimNames, claimsMapper } from './claims.js';
import type { Credential, Identity } from './identity.js';
import { type KeySource, resolveKey } from './keys.js';
import { MAX_TOKEN_LENGTH, tokenFrom } from './sources.js';

export interface JwtVerifierOptions extends KeySource {
  /** Narrows the algorithms the key admits (never widens: a secret never verifies RS256). */
  algorithms?: readonly string[];
  /** Required `iss` (one of). Strongly recommended. */
  issuer?: string | readonly string[];
  /** Required `aud` (one of). Strongly recommended. */
  audience?: string | readonly string[];
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. Default 5. */
  clockToleranceSec?: number;
  /** Refuse tokens issued longer ago than this (`iat`), in seconds. */
  maxAgeSec?: number;
  /** Claim names for the actor, roles, tenant and display name. */
  claims?: ClaimNames;
  /** The actor type of verified callers. Default `user`. */
  actorType?: ActorType;
}

export interface VerifiedJwt {
  payload: JWTPayload;
  header: ProtectedHeaderParameters;
  identity: Identity;
}

/** Verifies JWTs and maps their claims to an identity; refusals are `AccessError`s. */
export interface JwtVerifier {
  verify(token: string): Promise<VerifiedJwt>;
}

const CLAIMS: Record<string, [code: string, detail: string]> = {
  nbf: ['token_not_yet_valid', 'The token is not valid yet (nbf).'],
  iat: ['token_not_yet_valid', 'The token was issued in the future or too long ago (iat).'],
  iss: ['token_issuer_invalid', 'The token was issued by an issuer this service does not trust.'],
  aud: ['token_audience_invalid', 'The token is meant for another audience.'],
};

/** The AccessError for what jose threw: a stable code and a detail that never quotes the token. */
export function tokenError(err: unknown): AccessError {
  const code = (err as { code?: string }).code;
  const claim = (err as { claim?: string }).claim;
  const refuse = (c: string, detail: string) => new AccessError(401, c, detail, { cause: err });
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return refuse('token_expired', 'The token has expired.');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const [c, detail] = CLAIMS[claim ?? ''] ?? [
        'token_claim_invalid',
        `The token's "${claim}" claim is invalid.`,
      ];
      return refuse(c, detail);
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return refuse(
        'token_algorithm_refused',
        'The token is signed with an algorithm this service does not accept.',
      );
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return refuse('token_signature_invalid', 'The token signature does not verify.');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return refuse('token_key_unknown', 'No trusted key matches the token (kid).');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new AccessError(503, 'keys_unavailable', 'The signing keys could not be fetched.', {
        cause: err,
      });
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return refuse('token_malformed', 'The token is not a well-formed signed JWT.');
  }
  if (isAccessError(err)) return err;
  // anything else failed while fetching the key set (connection refused, HTTP 5xx, bad
  // JSON): not the caller's fault, and never a pass
  return new AccessError(503, 'keys_unavailable', 'The signing keys could not be fetched.', {
    cause: err,
  });
}

/**
 * A JWT verifier over one key source (HS secret, public key, JWKS URL with caching and
 * rotation, or an in-memory key set), with issuer, audience and clock-skew checks and the
 * claims → actor/tenant/roles mapping. Refuses `alg: none`, algorithms outside the key's
 * family (an HS256 token never verifies against an RSA public key), expired, not-yet-valid
 * and malformed tokens, each with its own code.
 *
 * @example
 * const verifier = jwtVerifier({ jwks: 'https://login.example.com/.well-known/jwks.json', issuer: 'https://login.example.com/', audience: 'api' });
 * const { identity } = await verifier.verify(token);
 */
export function jwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const { key, algorithms: family } = resolveKey(options);
  const algorithms = options.algorithms
    ? family.filter((a) => options.algorithms?.includes(a))
    : family;
  if (algorithms.length === 0) {
    throw new TypeError(
      `jwtVerifier: none of algorithms [${options.algorithms?.join(', ')}] fits the key`,
    );
  }
  const tolerance = options.clockToleranceSec ?? 5;
  if (!(tolerance >= 0 && tolerance <= 300))
    throw new TypeError('jwtVerifier: clockToleranceSec must be 0..300');
  const verifyOptions = {
    algorithms,
    issuer: options.issuer as string | string[] | undefined,
    audience: options.audience as string | string[] | undefined,
    clockTolerance: tolerance,
    maxTokenAge: options.maxAgeSec,
  };
  const map = claimsMapper(options.claims, options.actorType);
  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
        throw new AccessError(401, 'token_malformed', 'The token is not a well-formed signed JWT.');
      }
      let result: JWTVerifyResult;
      try {
        // one call shape for both key kinds: jose overloads on a key vs a key-set function
        result = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], verifyOptions);
      } catch (err) {
        throw tokenError(err);
      }
      return {
        payload: result.payload,
        header: result.protectedHeader,
        identity: map(result.payload),
      };
    },
  };
}

/**
 * A credential that reads a JWT from `Authorization: Bearer` (and, when `cookie` is named,
 * from that cookie) and verifies it.
 *
 * @example
 * const auth = authenticator({ credentials: bearerJwt(verifier, { cookie: 'access_token' }) });
 */
export function bearerJwt(
  verifier: JwtVerifier,
  source: { cookie?: string; bearer?: boolean } = {},
): Credential {
  return async (request) => {
    const token = tokenFrom(request, source);
    if (token === undefined) return undefined;
    return (await verifier.verify(token)).identity;
  };
}
