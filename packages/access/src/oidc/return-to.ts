const MAX_RETURN_TO = 2048;
const ORIGIN = 'http://return-to.invalid';

/**
 * A `returnTo` accepted only as a same-origin relative path: it starts with one `/`, holds
 * no backslash or control character, and resolves against any origin to that same origin.
 * `//evil.example`, `/\evil.example`, `https://evil.example` and `javascript:` are refused
 * (undefined).
 */
export function safeReturnTo(value: string): string | undefined {
  if (value.length === 0 || value.length > MAX_RETURN_TO) return undefined;
  if (!value.startsWith('/') || value.startsWith('//')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
