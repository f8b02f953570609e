import { describe, expect, it } from 'vitest';
import { compileTrust, MAX_PROXY_HOPS, resolveClientIp, type TrustProxy } from './client-ip.js';

const resolve = (
  socket: string | undefined,
  header: string | undefined,
  trust: TrustProxy,
  kind: 'x-forwarded-for' | 'forwarded' = 'x-forwarded-for',
) => resolveClientIp(socket, header, compileTrust(trust), kind);

describe('compileTrust', () => {
  it('trusts nobody for false and 0', () => {
    expect(compileTrust(false)).toBeUndefined();
    expect(compileTrust(0)).toBeUndefined();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects the hop count %s', (n) => {
    expect(() => compileTrust(n)).toThrow(/hop count/);
  });

  it('rejects a bad CIDR, naming it', () => {
    expect(() => compileTrust(['10.0.0.0/8', '10.0.0.0/40'])).toThrow(/"10\.0\.0\.0\/40"/);
  });

  it('hands a trust function the canonical address text', () => {
    const seen: string[] = [];
    const trust = compileTrust((addr) => {
      seen.push(addr);
      return true;
    });
    expect(resolveClientIp('::ffff:10.0.0.1', '2001:DB8::1, [2001:db8:0::2]:80', trust)).toBe(
      '2001:db8::1',
    );
    expect(seen).toEqual(['10.0.0.1', '2001:db8::2']);
  });
});

describe('resolveClientIp without trusted proxies', () => {
  it('uses the socket address and ignores a spoofed X-Forwarded-For', () => {
    expect(resolve('203.0.113.9', '1.1.1.1, 2.2.2.2', false)).toBe('203.0.113.9');
    expect(resolve('203.0.113.9', '1.1.1.1', 0)).toBe('203.0.113.9');
  });

  it('normalizes IPv4-mapped and IPv6 socket addresses', () => {
    expect(resolve('::ffff:127.0.0.1', undefined, false)).toBe('127.0.0.1');
    expect(resolve('::ffff:7f00:1', undefined, false)).toBe('127.0.0.1');
    expect(resolve('0:0:0:0:0:0:0:1', undefined, false)).toBe('::1');
    expect(resolve('2001:DB8::0:1', undefined, false)).toBe('2001:db8::1');
  });

  it('returns undefined without a usable socket address unless a proxy is trusted', () => {
    expect(resolve(undefined, '1.1.1.1', false)).toBeUndefined();
    expect(resolve('garbage', '1.1.1.1', false)).toBeUndefined();
  });
});

describe('resolveClientIp with a hidden socket (Next.js)', () => {
  it('counts the hidden peer as the first trusted hop', () => {
    const xff = '6.6.6.6, 198.51.100.7, 10.0.0.1';
    expect(resolve(undefined, xff, 1)).toBe('10.0.0.1');
    expect(resolve(undefined, xff, 2)).toBe('198.51.100.7');
    expect(resolve(undefined, xff, ['10.0.0.0/8'])).toBe('198.51.100.7');
  });

  it('stays undefined when the header is missing or its last entry is malformed', () => {
    expect(resolve(undefined, undefined, 1)).toBeUndefined();
    expect(resolve(undefined, '1.1.1.1, garbage', 1)).toBeUndefined();
  });
});

describe('resolveClientIp with a hop count', () => {
  it('1 hop: the rightmost entry, spoofed leftmost entries ignored', () => {
    expect(resolve('10.0.0.1', '6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7');
    expect(resolve('10.0.0.1', '198.51.100.7', 1)).toBe('198.51.100.7');
  });

  it('2 hops with enough entries', () => {
    expect(resolve('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7');
  });

  it('2 hops with too few entries: the leftmost entry there is', () => {
    expect(resolve('10.0.0.1', '198.51.100.7', 2)).toBe('198.51.100.7');
  });

  it('falls back to the socket when the header is missing or empty', () => {
    expect(resolve('10.0.0.1', undefined, 2)).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', '', 2)).toBe('10.0.0.1');
  });

  it('normalizes the entries it takes', () => {
    expect(resolve('10.0.0.1', '[2001:DB8::0:1]:4711', 1)).toBe('2001:db8::1');
    expect(resolve('10.0.0.1', '::ffff:198.51.100.7', 1)).toBe('198.51.100.7');
    expect(resolve('10.0.0.1', '  198.51.100.7:1234  ', 1)).toBe('198.51.100.7');
  });
});

describe('resolveClientIp with a CIDR list', () => {
  const proxies = ['10.0.0.0/8', 'fd00::/8'];

  it('walks right to left and stops at the first untrusted hop', () => {
    expect(resolve('10.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.3, 10.0.0.2', proxies)).toBe(
      '203.0.113.9',
    );
  });

  it('ignores the header when the socket itself is not a trusted proxy', () => {
    expect(resolve('203.0.113.1', '6.6.6.6', proxies)).toBe('203.0.113.1');
  });

  it('returns the leftmost entry when every hop is trusted', () => {
    expect(resolve('10.0.0.1', '10.0.0.3, 10.0.0.2', proxies)).toBe('10.0.0.3');
  });

  it('works across address families', () => {
    expect(resolve('fd00::1', '2001:db8::7, 10.0.0.2', proxies)).toBe('2001:db8::7');
    expect(resolve('::ffff:10.0.0.1', '198.51.100.2', proxies)).toBe('198.51.100.2');
  });

  it('stops at a malformed entry and keeps the last good address', () => {
    expect(resolve('10.0.0.1', '198.51.100.7, garbage', proxies)).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', '198.51.100.7, garbage, 10.0.0.2', proxies)).toBe('10.0.0.2');
    expect(resolve('10.0.0.1', '198.51.100.7,,', proxies)).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', 'unknown', proxies)).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', '1.2.3', proxies)).toBe('10.0.0.1');
  });

  it('reads a padded header over 8 KiB from the right: the real client, never the proxy', () => {
    const long = `${'6.6.6.6, '.repeat(2000)}198.51.100.7`;
    expect(long.length).toBeGreaterThan(8192);
    expect(resolve('10.0.0.1', long, proxies)).toBe('198.51.100.7');
    expect(resolve('10.0.0.1', `${long}, 10.0.0.2`, proxies)).toBe('198.51.100.7');
    expect(resolve('10.0.0.1', long, 1)).toBe('198.51.100.7');
    expect(resolve(undefined, long, ['10.0.0.0/8'])).toBe('198.51.100.7');
  });

  it('asks about at most MAX_PROXY_HOPS hops, however long the header', () => {
    let asked = 0;
    const trustAll = compileTrust(() => {
      asked++;
      return true;
    });
    const entries = Array.from(
      { length: 5000 },
      (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`,
    );
    const ip = resolveClientIp('10.0.0.1', entries.join(', '), trustAll);
    expect(asked).toBe(MAX_PROXY_HOPS);
    expect(ip).toBe(entries[entries.length - MAX_PROXY_HOPS]);
  });

  it('stops at one huge entry without a comma', () => {
    expect(resolve('10.0.0.1', `${'9'.repeat(20_000)}, 198.51.100.7`, proxies)).toBe(
      '198.51.100.7',
    );
    expect(resolve('10.0.0.1', '9'.repeat(20_000), proxies)).toBe('10.0.0.1');
  });

  it('accepts the named ranges', () => {
    expect(resolve('127.0.0.1', '198.51.100.7', ['loopback'])).toBe('198.51.100.7');
    expect(resolve('::1', '198.51.100.7', ['loopback'])).toBe('198.51.100.7');
    expect(resolve('192.168.1.1', '198.51.100.7', ['loopback'])).toBe('192.168.1.1');
  });
});

describe('resolveClientIp with a trust function', () => {
  it('asks the function for each hop', () => {
    const trust = (addr: string) => addr === '10.0.0.1' || addr === '10.0.0.2';
    expect(resolve('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2', trust)).toBe('198.51.100.7');
    expect(resolve('10.0.0.9', '198.51.100.7', trust)).toBe('10.0.0.9');
  });
});

describe('resolveClientIp with RFC 7239 Forwarded', () => {
  it('reads a quoted, bracketed IPv6 with a port', () => {
    expect(resolve('10.0.0.1', 'for="[2001:db8:cafe::17]:4711"', 1, 'forwarded')).toBe(
      '2001:db8:cafe::17',
    );
  });

  it('reads for= among other parameters', () => {
    expect(resolve('10.0.0.1', 'for=192.0.2.60;proto=http;by=203.0.113.43', 1, 'forwarded')).toBe(
      '192.0.2.60',
    );
    expect(resolve('10.0.0.1', 'proto=https;For=192.0.2.61', 1, 'forwarded')).toBe('192.0.2.61');
  });

  it('walks multiple elements right to left', () => {
    const value = 'for=192.0.2.43, for=198.51.100.17;by=10.0.0.2, for=10.0.0.2';
    expect(resolve('10.0.0.1', value, 1, 'forwarded')).toBe('10.0.0.2');
    expect(resolve('10.0.0.1', value, 2, 'forwarded')).toBe('198.51.100.17');
    expect(resolve('10.0.0.1', value, ['10.0.0.0/8'], 'forwarded')).toBe('198.51.100.17');
    expect(resolve('10.0.0.1', value, 3, 'forwarded')).toBe('192.0.2.43');
  });

  it('stops at an obfuscated or unknown node', () => {
    expect(resolve('10.0.0.1', 'for=unknown', 1, 'forwarded')).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', 'for=198.51.100.1, for=_hidden', 2, 'forwarded')).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', 'for=198.51.100.1, for="_gazonk"', 2, 'forwarded')).toBe('10.0.0.1');
  });

  it('falls back to the socket when there is no for= at all', () => {
    expect(resolve('10.0.0.1', 'proto=https;host=example.com', 1, 'forwarded')).toBe('10.0.0.1');
    expect(resolve('10.0.0.1', 'garbage', 1, 'forwarded')).toBe('10.0.0.1');
  });

  it('reads a padded Forwarded header from the right', () => {
    const long = `${'for=6.6.6.6;proto=http, '.repeat(500)}for=198.51.100.7, proto=https`;
    expect(long.length).toBeGreaterThan(8192);
    expect(resolve('10.0.0.1', long, ['10.0.0.0/8'], 'forwarded')).toBe('198.51.100.7');
  });

  it('does not read X-Forwarded-For syntax as Forwarded', () => {
    expect(resolve('10.0.0.1', '198.51.100.7', 1, 'forwarded')).toBe('10.0.0.1');
  });
});
