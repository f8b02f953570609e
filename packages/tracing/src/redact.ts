import { memoize } from '@platform/core';
/** Keys redacted wherever they appear (up to `MAX_DEPTH` levels down), case-insensitively. */
export const DEFAULT_REDACT_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'token',
  'apiKey',
  'x-api-key',
  'secret',
] as const;

const MAX_DEPTH = 4;
const MAX_KNOWN_KEYS = 2048;
export const CENSOR = '[REDACTED]';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A one-pass redactor for the default keys: walks plain objects (not arrays, errors or
 * class instances) and returns a copy only where something was censored, so the
 * caller's object is never mutated and clean lines cost one key scan. Cheaper than
 * wildcard paths, which scan the object once per path.
 */
export function createRedactor(
  keys: readonly string[],
): (obj: Record<string, unknown>) => Record<string, unknown> {
  const lower = new Set(keys.map((k) => k.toLowerCase()));
  // Log keys come from a small set: remember each answer (bounded against key floods)
  // so the common case costs one map lookup and no toLowerCase() per key.
  const isSecret = memoize((key) => lower.has(key.toLowerCase()), MAX_KNOWN_KEYS);
  const walk = (obj: Record<string, unknown>, depth: number): Record<string, unknown> => {
    let out: Record<string, unknown> | undefined;
    for (const key in obj) {
      const value = obj[key];
      let next: unknown = value;
      if (isSecret(key)) {
        if (value !== undefined) next = CENSOR;
      } else if (depth < MAX_DEPTH && isPlainObject(value)) {
        next = walk(value, depth + 1);
      }
      if (next !== value) {
        out ??= { ...obj };
        out[key] = next;
      }
    }
    return out ?? obj;
  };
  return (obj) => walk(obj, 1);
}
