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
      const keys = Object.keys(value);
      if (keys.length > 1) keys.sort();
      let s = '{';
      let first = true;
      for (const k of keys) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        s += `${first ? '' : ','}${quoteKey(k)}:${canonicalJson(v)}`;
        first = false;
      }
      return `${s}}`;
    }
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    default:
      return 'null';
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

// Event keys repeat endlessly (`actor`, `requestId`, …): quote each once. Bounded, so
// metadata with ever-new keys cannot grow it without limit.
const quoteKey = memoize((k) => JSON.stringify(k), 4096);
