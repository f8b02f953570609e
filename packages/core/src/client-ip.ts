import { compileCidrs, formatIp, normalizeIp, type ParsedIp, parseIp } from './ip.js';

/**
 * Which proxies may tell us the client address.
 * - `false` (default): the socket address, headers ignored.
 * - a number `n`: exactly `n` proxies stand in front of the app.
 * - CIDRs / addresses / `loopback` | `linklocal` | `uniquelocal`: proxies inside these ranges are trusted.
 * - a function deciding per address.
 */
export type TrustProxy = false | number | readonly string[] | ((ip: string) => boolean);

export type ProxyHeader = 'x-forwarded-for' | 'forwarded';

/** Decides, for one hop address, whether it is a proxy we trust. */
type TrustFn = (ip: ParsedIp, hop: number) => boolean;

/** Compiles a TrustProxy setting once; throws a TypeError naming a bad entry. */
export function compileTrust(trust: TrustProxy): TrustFn | undefined {
  if (trust === false) return undefined;
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 0) {
      throw new TypeError(`trustProxy: hop count must be a whole number >= 0, got ${trust}`);
    }
    return trust === 0 ? undefined : (_ip, hop) => hop < trust;
  }
  if (typeof trust === 'function') return (ip) => trust(formatIp(ip));
  const set = compileCidrs(trust);
  return (ip) => set.matches(ip);
}

/**
 * Most header entries read, from the right, for one request. A chain of trusted
 * proxies longer than this ends the walk at the entry reached, as a hop count would.
 */
export const MAX_PROXY_HOPS = 32;

/** The `for=` value of one RFC 7239 Forwarded element, or undefined when it has none. */
function forwardedFor(element: string): string | undefined {
  for (const pair of element.split(';')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && pair.slice(0, eq).trim().toLowerCase() === 'for') return pair.slice(eq + 1);
  }
  return undefined;
}

/**
 * Resolves the client address: walk from the socket towards the client through
 * the proxy header, stopping at the first hop that is not a trusted proxy. A
 * malformed entry ends the walk at the last good address. Never throws.
 *
 * The header is read from its right end, one comma-separated entry at a time, and
 * never split whole: a client can pad it to the header-size limit, and only the
 * entries the trusted proxies appended matter. At most `MAX_PROXY_HOPS` entries
 * are read.
 *
 * Without a socket address (a runtime such as Next.js that hides it) the answer is
 * undefined unless a proxy is trusted; then the hidden peer counts as that trusted
 * first hop and the walk starts at the last header entry.
 */
export function resolveClientIp(
  remoteAddress: string | undefined,
  headerValue: string | undefined,
  trust: TrustFn | undefined,
  header: ProxyHeader = 'x-forwarded-for',
): string | undefined {
  if (!trust || !headerValue) return normalizeIp(remoteAddress);
  let current = parseIp(remoteAddress);
  let hop = 0;
  let end = headerValue.length;
  for (let read = 0; end >= 0 && read < MAX_PROXY_HOPS; read++) {
    if (current && !trust(current, hop)) break;
    const comma = end === 0 ? -1 : headerValue.lastIndexOf(',', end - 1);
    const entry = headerValue.slice(comma + 1, end);
    end = comma;
    const address = header === 'forwarded' ? forwardedFor(entry) : entry;
    if (address === undefined) continue;
    const next = parseIp(address);
    if (!next) break;
    current = next;
    hop++;
  }
  return current && formatIp(current);
}
