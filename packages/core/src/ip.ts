import { isIPv4, isIPv6 } from 'node:net';

/** A parsed address: 4 bytes for IPv4, 16 for IPv6. */
export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

function stripDecorations(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end === -1) return '';
    return s.slice(1, end);
  }
  // "1.2.3.4:5678" (port on IPv4 only; a bare IPv6 has several colons)
  const colon = s.indexOf(':');
  if (colon !== -1 && colon === s.lastIndexOf(':') && isIPv4(s.slice(0, colon))) {
    return s.slice(0, colon);
  }
  return s;
}

/** Bytes of a dotted quad that already passed `isIPv4` (no split/map: this runs per request). */
function v4Bytes(s: string): Uint8Array {
  const out = new Uint8Array(4);
  let part = 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      out[part++] = n;
      n = 0;
    } else n = n * 10 + c - 48;
  }
  out[part] = n;
  return out;
}

const V4_MAPPED = /^::ffff:/i;

function v6Bytes(s: string): Uint8Array | undefined {
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    if (!isIPv4(maybeV4)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4Bytes(maybeV4);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) =>
    part
      ? part.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? Number.parseInt(g, 16) : -1))
      : [];
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const zeros = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (zeros < 0) return undefined;
  const all = [...head, ...new Array<number>(zeros).fill(0), ...rest];
  if (all.length !== 8 || all.some((g) => g < 0)) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Parses an address as found in sockets and proxy headers (`[v6]:port`, `v4:port`,
 * zone ids, quotes). IPv4-mapped IPv6 becomes IPv4. Returns undefined for anything
 * that is not an address; never throws.
 */
export function parseIp(raw: string | undefined | null): ParsedIp | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 100) return undefined;
  let s = stripDecorations(raw);
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  if (isIPv4(s)) return { version: 4, bytes: v4Bytes(s) };
  if (V4_MAPPED.test(s) && isIPv4(s.slice(7))) return { version: 4, bytes: v4Bytes(s.slice(7)) };
  if (!isIPv6(s)) return undefined;
  const bytes = v6Bytes(s);
  if (!bytes) return undefined;
  if (isV4Mapped(bytes)) return { version: 4, bytes: bytes.slice(12) };
  return { version: 6, bytes };
}

/** The canonical text of a parsed address (RFC 5952 for IPv6). */
export function formatIp(ip: ParsedIp): string {
  const b = ip.bytes;
  if (ip.version === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** Canonical form of an address string, or undefined when it is not one. */
export function normalizeIp(raw: string | undefined | null): string | undefined {
  // a dotted quad that passes isIPv4 is already canonical (no leading zeros, no spaces)
  if (typeof raw === 'string' && isIPv4(raw)) return raw;
  const ip = parseIp(raw);
  return ip ? formatIp(ip) : undefined;
}

/** Keeps the first `bits` bits of an address (e.g. an IPv6 /64 for rate-limit keys). */
export function maskIp(ip: ParsedIp, bits: number): ParsedIp {
  const out = new Uint8Array(ip.bytes.length);
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = (ip.bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { version: ip.version, bytes: out };
}

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** A compiled CIDR list: `matches(ip)` is true when the address is inside any range. */
export interface CidrSet {
  matches(ip: ParsedIp): boolean;
}

/**
 * Compiles CIDRs (`10.0.0.0/8`, `2001:db8::/32`, a bare address, or the names
 * `loopback`, `linklocal`, `uniquelocal`). Throws a TypeError naming the bad entry.
 */
export function compileCidrs(list: readonly string[]): CidrSet {
  const ranges: { ip: ParsedIp; bits: number }[] = [];
  for (const entry of list) {
    const named = Object.hasOwn(NAMED_RANGES, entry) ? NAMED_RANGES[entry] : undefined;
    if (named) {
      for (const n of named) ranges.push(...compileOne(n));
      continue;
    }
    ranges.push(...compileOne(entry));
  }
  return {
    matches(ip) {
      return ranges.some((r) => {
        if (r.ip.version !== ip.version) return false;
        const m = maskIp(ip, r.bits).bytes;
        return m.every((b, i) => b === r.ip.bytes[i]);
      });
    },
  };
}

function compileOne(entry: string): { ip: ParsedIp; bits: number }[] {
  const [addr, prefix, extra] = entry.split('/');
  const ip = parseIp(addr);
  const max = ip?.version === 4 ? 32 : 128;
  // Digits only: Number('') is 0, so "10.0.0.0/" would otherwise trust every address.
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  if (!ip || extra !== undefined || bits < 0 || bits > max) {
    throw new TypeError(
      `"${entry}" is not an IP address, a CIDR range or one of loopback, linklocal, uniquelocal`,
    );
  }
  return [{ ip: maskIp(ip, bits), bits }];
}
