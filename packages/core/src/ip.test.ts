import { describe, expect, it } from 'vitest';
import { compileCidrs, formatIp, maskIp, normalizeIp, type ParsedIp, parseIp } from './ip.js';

const ip = (raw: string): ParsedIp => {
  const parsed = parseIp(raw);
  if (!parsed) throw new Error(`test setup: ${raw} is not an address`);
  return parsed;
};

describe('normalizeIp', () => {
  it.each([
    ['IPv4', '192.0.2.1', '192.0.2.1'],
    ['IPv4 with surrounding space', '  192.0.2.1 ', '192.0.2.1'],
    ['IPv4 with port', '192.0.2.1:5678', '192.0.2.1'],
    ['quoted IPv4', '"192.0.2.1"', '192.0.2.1'],
    ['IPv6 compressed', '2001:db8::1', '2001:db8::1'],
    ['IPv6 expanded', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['IPv6 uppercase', '2001:DB8::A:B', '2001:db8::a:b'],
    ['IPv6 leading zeros', '2001:db8:0001::00ff', '2001:db8:1::ff'],
    ['loopback', '0:0:0:0:0:0:0:1', '::1'],
    ['unspecified', '0:0:0:0:0:0:0:0', '::'],
    ['trailing zeros', '1:0:0:0:0:0:0:0', '1::'],
    ['longest zero run wins', '2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['first run wins a tie', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['a single zero group is not compressed', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['an over-compressed input is re-canonicalised', '2001:db8::0:1', '2001:db8::1'],
    ['IPv4-mapped dotted', '::ffff:1.2.3.4', '1.2.3.4'],
    ['IPv4-mapped hex', '::ffff:0102:0304', '1.2.3.4'],
    ['IPv4-mapped uppercase, expanded', '0:0:0:0:0:FFFF:1.2.3.4', '1.2.3.4'],
    ['IPv4-mapped socket address', '::ffff:127.0.0.1', '127.0.0.1'],
    ['IPv4-mapped with brackets and port', '[::ffff:10.0.0.1]:443', '10.0.0.1'],
    ['NAT64 embedded IPv4 stays IPv6', '64:ff9b::1.2.3.4', '64:ff9b::102:304'],
    ['NAT64 hex form', '64:ff9b::0102:0304', '64:ff9b::102:304'],
    ['IPv4-compatible stays IPv6', '::1.2.3.4', '::102:304'],
    ['IPv4-translated stays IPv6', '::ffff:0:1.2.3.4', '::ffff:0:102:304'],
    ['zone id', 'fe80::1%eth0', 'fe80::1'],
    ['URL-encoded zone id', 'fe80::1%25eth0', 'fe80::1'],
    ['bracketed with port', '[2001:db8::1]:4711', '2001:db8::1'],
    ['bracketed without port', '[2001:db8::1]', '2001:db8::1'],
    ['bracketed with zone and port', '[fe80::1%eth0]:8080', 'fe80::1'],
    ['quoted bracketed (Forwarded)', '"[2001:db8:cafe::17]:4711"', '2001:db8:cafe::17'],
  ])('%s: %j -> %j', (_, raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });

  it.each([
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4.',
    '::::',
    ':::1',
    '1:2:3:4:5:6:7:8:9',
    '12345::1',
    'gggg::1',
    '::ffff:1.2.3.4:80',
    '::ffff:1.2.3',
    '[::1',
    '[]',
    '"',
    '""',
    ':1.2.3.4',
    'unknown',
    '_hidden',
    'localhost',
    '',
    '   ',
    'a'.repeat(200),
    '1'.repeat(200),
    `fe80::1%${'x'.repeat(200)}`,
    `${'1.2.3.4, '.repeat(25)}1.2.3.4`,
  ])('%j is not an address', (raw) => {
    expect(() => parseIp(raw)).not.toThrow();
    expect(parseIp(raw)).toBeUndefined();
    expect(normalizeIp(raw)).toBeUndefined();
  });

  it.each([undefined, null, 42, {}, ['1.2.3.4']])('returns undefined for %j', (raw) => {
    expect(normalizeIp(raw as string)).toBeUndefined();
  });

  it('spells each address one way, whatever the input spelling', () => {
    const spellings = [
      '2001:db8::1',
      '2001:DB8:0:0:0:0:0:1',
      '[2001:db8::1]:80',
      '"[2001:db8::1]"',
      '2001:db8:0::0:1',
    ];
    expect(new Set(spellings.map(normalizeIp))).toEqual(new Set(['2001:db8::1']));
  });
});

describe('parseIp', () => {
  it('returns 4 bytes for IPv4 and IPv4-mapped IPv6', () => {
    expect(parseIp('10.1.2.3')).toEqual({ version: 4, bytes: Uint8Array.from([10, 1, 2, 3]) });
    expect(parseIp('::ffff:10.1.2.3')).toEqual({
      version: 4,
      bytes: Uint8Array.from([10, 1, 2, 3]),
    });
  });

  it('returns 16 bytes for IPv6', () => {
    const parsed = parseIp('2001:db8::ff00:42');
    expect(parsed?.version).toBe(6);
    expect(Array.from(parsed?.bytes ?? [])).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42,
    ]);
  });
});

describe('formatIp', () => {
  it('round-trips through parseIp', () => {
    for (const s of ['0.0.0.0', '255.255.255.255', '::', '::1', 'fe80::1:2', '1:2:3:4:5:6:7:8']) {
      expect(formatIp(ip(s))).toBe(s);
    }
  });
});

describe('maskIp', () => {
  const v6 = ip('2001:db8:abcd:1234:5678:9abc:def0:1234');

  it.each([
    [64, '2001:db8:abcd:1234::'],
    [56, '2001:db8:abcd:1200::'],
    [48, '2001:db8:abcd::'],
    [60, '2001:db8:abcd:1230::'],
    [128, '2001:db8:abcd:1234:5678:9abc:def0:1234'],
    [0, '::'],
  ])('IPv6 /%i -> %s', (bits, expected) => {
    expect(formatIp(maskIp(v6, bits))).toBe(expected);
  });

  it.each([
    [24, '192.0.2.0'],
    [16, '192.0.0.0'],
    [20, '192.0.0.0'],
    [32, '192.0.2.77'],
    [0, '0.0.0.0'],
  ])('IPv4 /%i -> %s', (bits, expected) => {
    expect(formatIp(maskIp(ip('192.0.2.77'), bits))).toBe(expected);
  });

  it('masks inside a byte', () => {
    expect(formatIp(maskIp(ip('10.255.255.255'), 20))).toBe('10.255.240.0');
    expect(formatIp(maskIp(ip('ffff::'), 10))).toBe('ffc0::');
  });

  it('leaves its input untouched', () => {
    const before = formatIp(v6);
    maskIp(v6, 48);
    expect(formatIp(v6)).toBe(before);
  });

  it('gives every address of one /64 the same key', () => {
    const keys = [
      '2001:db8:1:2::1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:abcd::9',
    ].map((a) => formatIp(maskIp(ip(a), 64)));
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::']));
  });
});

describe('compileCidrs', () => {
  const inside = (list: string[], addr: string) => compileCidrs(list).matches(ip(addr));

  it('matches CIDR ranges and bare addresses of both families', () => {
    const list = ['10.0.0.0/8', '2001:db8::/32', '203.0.113.7', '2001:db8:ffff::1/128'];
    expect(inside(list, '10.200.3.4')).toBe(true);
    expect(inside(list, '11.0.0.1')).toBe(false);
    expect(inside(list, '203.0.113.7')).toBe(true);
    expect(inside(list, '203.0.113.8')).toBe(false);
    expect(inside(list, '2001:db8:1234::5')).toBe(true);
    expect(inside(list, '2001:db9::1')).toBe(false);
  });

  it('never matches across address families', () => {
    expect(inside(['0.0.0.0/0'], '::1')).toBe(false);
    expect(inside(['::/0'], '127.0.0.1')).toBe(false);
    expect(inside(['0.0.0.0/0'], '8.8.8.8')).toBe(true);
    expect(inside(['::/0'], '2001:db8::1')).toBe(true);
  });

  it('matches IPv4-mapped addresses against IPv4 ranges', () => {
    expect(inside(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
  });

  it.each([
    ['loopback', ['127.0.0.1', '127.255.255.254', '::1'], ['128.0.0.1', '::2', '10.0.0.1']],
    [
      'linklocal',
      ['169.254.0.1', '169.254.255.255', 'fe80::1', 'febf::1'],
      ['169.253.0.1', 'fec0::1', '::1'],
    ],
    [
      'uniquelocal',
      ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fdff::1'],
      ['172.32.0.1', '192.169.0.1', '11.0.0.1', 'fe00::1', '127.0.0.1'],
    ],
  ])('the named range %s', (name, yes, no) => {
    for (const a of yes) expect(inside([name], a), a).toBe(true);
    for (const a of no) expect(inside([name], a), a).toBe(false);
  });

  it('combines named ranges with explicit ones', () => {
    const list = ['loopback', '198.51.100.0/24'];
    expect(inside(list, '127.0.0.1')).toBe(true);
    expect(inside(list, '198.51.100.99')).toBe(true);
    expect(inside(list, '198.51.101.1')).toBe(false);
  });

  it('matches nothing when empty', () => {
    expect(inside([], '127.0.0.1')).toBe(false);
  });

  it.each([
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/',
    '10.0.0.0/-1',
    '10.0.0.0/8/9',
    '10.0.0.0/0x8',
    '10.0.0.0/1e1',
    '10.0.0.0/ 8',
    '10.0.0.0/8.5',
    '10.0.0/8',
    'not-an-ip',
    'localhost',
    '',
    '/8',
    'constructor',
    '__proto__',
    'toString',
    'LOOPBACK',
  ])('rejects %j with a TypeError naming it', (entry) => {
    expect(() => compileCidrs(['127.0.0.1', entry])).toThrow(TypeError);
    expect(() => compileCidrs([entry])).toThrow(`"${entry}"`);
  });
});
