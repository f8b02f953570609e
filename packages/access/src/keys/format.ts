import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `<prefix>_<environment>_<key id>_<secret>`: the first three parts are public. */
export interface ParsedKey {
  prefix: string;
  environment: string;
  id: string;
  secret: string;
}

/** 16 lower-case hex characters: 64 random bits, unique enough to be a primary key. */
export const KEY_ID = /^[0-9a-f]{16}$/;
export const ENVIRONMENT = /^[a-z0-9]{1,16}$/;
export const PREFIX = /^[a-z][a-z0-9]{0,15}$/;
/** 32 random bytes in base64url: 256 bits of entropy. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;
/** Longest key `parseKey` looks at: anything longer is refused before it is split. */
const MAX_KEY = 16 + 1 + 16 + 1 + 16 + 1 + 43;

export const newKeyId = (): string => randomBytes(8).toString('hex');
export const newSecret = (): string => randomBytes(32).toString('base64url');

export function formatKey(k: ParsedKey): string {
  return `${k.prefix}_${k.environment}_${k.id}_${k.secret}`;
}

/**
 * Splits a presented key into its parts, or undefined when it is not one of ours. The
 * secret is base64url and may itself contain `_`, so the split is on the first three.
 */
export function parseKey(value: string | undefined): ParsedKey | undefined {
  if (typeof value !== 'string' || value.length > MAX_KEY) return undefined;
  const a = value.indexOf('_');
  const b = value.indexOf('_', a + 1);
  const c = value.indexOf('_', b + 1);
  if (a < 1 || b < 0 || c < 0) return undefined;
  const parsed = {
    prefix: value.slice(0, a),
    environment: value.slice(a + 1, b),
    id: value.slice(b + 1, c),
    secret: value.slice(c + 1),
  };
  if (
    !PREFIX.test(parsed.prefix) ||
    !ENVIRONMENT.test(parsed.environment) ||
    !KEY_ID.test(parsed.id) ||
    !SECRET.test(parsed.secret)
  ) {
    return undefined;
  }
  return parsed;
}

/**
 * SHA-256 of the secret, hex. A slow password hash (scrypt, argon2) protects low-entropy
 * secrets people choose; these are 256 random bits, which no offline search can cover, so
 * one fast hash per request is enough and a stolen table still yields no usable key.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compared against when there is no stored hash, so a miss costs what a hit costs. */
const DUMMY = Buffer.alloc(32);

/** Stored hex hashes decoded once: hot keys are looked up again and again. Bounded. */
const decoded = new Map<string, Buffer>();
const MAX_DECODED = 10_000;

function bytesOf(hex: string | undefined): Buffer | undefined {
  if (hex?.length !== 64) return undefined;
  let bytes = decoded.get(hex);
  if (bytes === undefined) {
    bytes = Buffer.from(hex, 'hex');
    if (bytes.length !== 32) return undefined;
    if (decoded.size >= MAX_DECODED) decoded.clear();
    decoded.set(hex, bytes);
  }
  return bytes;
}

/** Constant-time comparison of a computed digest with a stored hex hash (or a dummy one). */
export function sameHash(digest: Buffer, storedHex: string | undefined): boolean {
  const stored = bytesOf(storedHex);
  const equal = timingSafeEqual(digest, stored ?? DUMMY);
  return equal && stored !== undefined;
}

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
