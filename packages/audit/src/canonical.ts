import { memoize } from '@platform/core';
/**
 * Canonical JSON: object keys sorted (UTF-16 order), `undefined` members dropped, no
 * whitespace, otherwise exactly `JSON.stringify`. The same event always serializes to the
 * same bytes, whichever store returned it. Written as one string walk: it runs for every
 * event on the write path.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return canonicalJson(JSON.parse(JSON.stringify(value)));
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) s += ',';
          const x = value[i];
          s +=
            x === undefined || typeof x === 'function' || typeof x === 'symbol'
              ? 'null'
              : canonicalJson(x);
        }
        return `${s}]`;
      }
      return members(value as Record<string, unknown>, undefined);
    }
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    default:
      return 'null';
  }
}

/**
 * `canonicalJson({ ...value, ...overrides })` without making that copy: the chain hashes
 * each event with its `seq` and `recordedAt` added, once per event on the write path.
 */
export function canonicalJsonWith(
  value: Record<string, unknown>,
  overrides: Record<string, unknown>,
): string {
  // the copy it stands for would carry an own `toJSON`: rare enough to make that copy
  if (typeof value.toJSON === 'function' || typeof overrides.toJSON === 'function')
    return canonicalJson({ ...value, ...overrides });
  return members(value, overrides);
}

function members(
  value: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): string {
  const keys = Object.keys(value);
  if (overrides) for (const k of Object.keys(overrides)) if (!keys.includes(k)) keys.push(k);
  sortKeys(keys);
  let s = '{';
  for (const k of keys) {
    const v = overrides && Object.hasOwn(overrides, k) ? overrides[k] : value[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    // `"key":` quoted once per key; the comma only between members
    s += s.length === 1 ? member(k) : `,${member(k)}`;
    s += canonicalJson(v);
  }
  return `${s}}`;
}

/**
 * Sorts in place in UTF-16 order, as `Array.prototype.sort()` does for strings. Objects
 * have a handful of keys: an insertion sort allocates nothing, where the built-in sort
 * allocates about a kilobyte of work state per call.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > k) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = k;
  }
}

// Most values need no escaping: quoting them directly skips a call into JSON.stringify.
// Anything with a quote, backslash, control character or surrogate goes to JSON.stringify,
// which escapes exactly as JSON requires (lone surrogates included).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// Event keys repeat endlessly (`actor`, `requestId`, …): quote each once, with its colon.
// Bounded, so metadata with ever-new keys cannot grow it without limit.
const member = memoize((k) => `${JSON.stringify(k)}:`, 4096);
