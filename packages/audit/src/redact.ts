import { memoize } from '@platform/core';
/** Keys whose values are always replaced, compared case-insensitively without `-`/`_`. */
export const DEFAULT_SENSITIVE_KEYS = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authorization',
  'cookie',
  'setcookie',
  'apikey',
  'xapikey',
  'privatekey',
  'clientsecret',
  'creditcard',
  'cardnumber',
  'ccnumber',
  'pan',
  'cvv',
  'cvc',
  'ssn',
  'iban',
  'otp',
];

export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 8;
const MAX_STRING = 4096;
// biome-ignore lint/suspicious/noControlCharactersInRegex: neutralizing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same class, to test without replacing
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// 13 to 19 digits, optionally grouped by spaces or dashes: a card number shape (so a
// string shorter than 13 characters cannot hold one).
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;

export interface RedactOptions {
  /** Extra key names (any depth). */
  keys?: readonly string[];
  /** Dotted paths from the root (`body.customer.email`, `*` matches one segment). */
  paths?: readonly string[];
}

const norm = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

/** Control characters (CR, LF, NUL, …) become a visible `\uXXXX`; long strings are cut. */
export function neutralize(s: string): string {
  const cut = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
  // most strings hold no control character: a test allocates nothing, a replace does
  if (!HAS_CONTROL.test(cut)) return cut;
  return cut.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const maskCards = (s: string) =>
  s.replace(CARD, (m) => {
    const digits = m.replace(/[ -]/g, '');
    return digits.length >= 13 && luhn(digits) ? REDACTED : m;
  });

/**
 * Returns a redactor: a JSON-safe copy of `value` (found at path `at`) with sensitive keys and paths replaced by
 * `[REDACTED]`, card numbers masked, control characters neutralized, depth bounded.
 *
 * @example
 * const redact = createRedactor({ paths: ['body.customer.email'] });
 * redact({ body: { password: 'x' } }); // { body: { password: '[REDACTED]' } }
 */
export function createRedactor(
  options: RedactOptions = {},
): (value: unknown, at?: readonly string[]) => unknown {
  const keys = new Set([...DEFAULT_SENSITIVE_KEYS, ...(options.keys ?? []).map(norm)]);
  const paths = (options.paths ?? []).map((p) => p.split('.'));
  const pathHit = (path: string[]) =>
    paths.some(
      (p) => p.length === path.length && p.every((seg, i) => seg === '*' || seg === path[i]),
    );
  // the same few keys come back in every event: decide each once (bounded)
  const sensitive = memoize((k) => keys.has(norm(k)), 4096);
  // `path` is only tracked when there are path rules to match it against
  const walk = (v: unknown, path: string[] | undefined, depth: number): unknown => {
    if (v === null || v === undefined) return v;
    if (typeof v === 'string') return neutralize(v.length < 13 ? v : maskCards(v));
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (typeof v !== 'object') return undefined;
    if (depth >= MAX_DEPTH) return '[TRUNCATED]';
    if (Array.isArray(v))
      return v.slice(0, 1000).map((x, i) => walk(x, path && [...path, String(i)], depth + 1));
    // no prototype: a `__proto__` key in the input stays a key instead of replacing it
    const out: Record<string, unknown> = Object.create(null);
    // keys, not entries: no [key, value] pair per member
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      const key = neutralize(k);
      const here = path && [...path, k];
      out[key] =
        sensitive(k) || (here !== undefined && pathHit(here)) ? REDACTED : walk(x, here, depth + 1);
    }
    return out;
  };
  return (value, at = []) => walk(value, paths.length > 0 ? [...at] : undefined, 0);
}
