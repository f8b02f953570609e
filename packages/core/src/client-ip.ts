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

/** The `for=` addresses of an RFC 7239 Forwarded header, leftmost first. */
function forwardedFor(value: string): string[] {
  const out: string[] = [];
  for (const element of value.split(',')) {
    for (const pair of element.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      if (pair.slice(0, eq).trim().toLowerCase() === 'for') out.push(pair.slice(eq + 1).trim());
    }
  }
  return out;
}

/**
 * Resolves the client address: walk from the socket towards the client through
 * the proxy header, stopping at the first hop that is not a trusted proxy. A
 * malformed entry ends the walk at the last good address. Never throws.
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
  if (!trust || !headerValue || headerValue.length > 8192) return normalizeIp(remoteAddress);
  const socket = parseIp(remoteAddress);
  const hops = header === 'forwarded' ? forwardedFor(headerValue) : headerValue.split(',');
  let current = socket;
  let hop = 0;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (current && !trust(current, hop)) break;
    const next = parseIp(hops[i]);
    if (!next) break;
    current = next;
    hop++;
  }
  return current && formatIp(current);
}
