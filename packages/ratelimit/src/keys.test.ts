import type { HttpExchange, RequestContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { createKeyer, type KeyerOptions, type LimitInput } from './keys.js';

const defaults: KeyerOptions = {
  ipv4Prefix: 32,
  ipv6Prefix: 64,
  hash: false,
  apiKeyHeader: 'x-api-key',
};

function ctx(o: Partial<RequestContext> = {}): RequestContext {
  return { requestId: 'r1', method: 'GET', path: '/items/7', startTime: 0, ...o };
}

function exchange(headers: Record<string, string> = {}, remoteAddress = '10.0.0.1'): HttpExchange {
  return {
    method: 'POST',
    path: '/x',
    remoteAddress,
    header: (name) => headers[name.toLowerCase()],
    setHeader: () => undefined,
  };
}

const subject = (
  by: Parameters<ReturnType<typeof createKeyer>['compile']>[0],
  input: LimitInput,
  o: Partial<KeyerOptions> = {},
) => createKeyer({ ...defaults, ...o }).compile(by)(input);

describe('IP keys', () => {
  it('masks IPv6 to /64 so rotating the interface id does not give a fresh quota', () => {
    const a = subject('ip', { context: ctx({ ip: '2001:db8:1:2:aaaa::1' }) });
    const b = subject('ip', { context: ctx({ ip: '2001:db8:1:2:bbbb:cccc:dddd:eeee' }) });
    expect(a).toEqual({ value: 'ip=2001:db8:1:2::/64', kind: 'ip' });
    expect(b).toEqual(a);
    expect(subject('ip', { context: ctx({ ip: '2001:db8:1:3::1' }) })).not.toEqual(a);
  });

  it.each([
    [56, '2001:db8:1:200::/56'],
    [48, '2001:db8:1::/48'],
    [128, '2001:db8:1:2ff:aaaa::1'],
  ])('masks to a configured /%s', (bits, value) => {
    expect(
      subject('ip', { context: ctx({ ip: '2001:db8:1:2ff:aaaa::1' }) }, { ipv6Prefix: bits })
        ?.value,
    ).toBe(`ip=${value}`);
  });

  it('normalizes IPv4-mapped IPv6 to IPv4', () => {
    expect(subject('ip', { exchange: exchange({}, '::ffff:192.0.2.7') })?.value).toBe(
      'ip=192.0.2.7',
    );
  });

  it('masks IPv4 when asked', () => {
    expect(subject('ip', { context: ctx({ ip: '192.0.2.7' }) }, { ipv4Prefix: 24 })?.value).toBe(
      'ip=192.0.2.0/24',
    );
  });

  it('puts requests without a known address in one shared bucket', () => {
    expect(subject('ip', { exchange: exchange({}, 'not-an-ip') })).toEqual({
      value: 'ip=unknown',
      kind: 'ip',
    });
    expect(subject('user', {})).toEqual({ value: 'ip=unknown', kind: 'ip' });
  });
});

describe('identity keys', () => {
  it('counts a user by actor id, and an anonymous request by IP', () => {
    const actor = { type: 'user' as const, id: 'u-42', roles: [] };
    expect(subject('user', { context: ctx({ actor, ip: '192.0.2.1' }) })).toEqual({
      value: 'u=u-42',
      kind: 'user',
    });
    expect(subject('user', { context: ctx({ ip: '192.0.2.1' }) })).toEqual({
      value: 'ip=192.0.2.1',
      kind: 'ip',
    });
  });

  it('skips tenant and API-key policies when the request has none', () => {
    expect(subject('tenant', { context: ctx() })).toBeUndefined();
    expect(subject('apiKey', { exchange: exchange() })).toBeUndefined();
  });

  it('never keeps an API key in clear', () => {
    const s = subject('apiKey', { exchange: exchange({ 'x-api-key': 'sk_live_secret' }) });
    expect(s?.value).toMatch(/^k=#[A-Za-z0-9_-]{22}$/);
    expect(s?.value).not.toContain('secret');
  });

  it('counts a verified API key by its id (the actor), whatever header carried it', () => {
    const actor = { type: 'apiKey' as const, id: '0123456789abcdef', roles: [] };
    const s = subject('apiKey', {
      context: ctx({ actor }),
      exchange: exchange({ 'x-api-key': 'pk_live_0123456789abcdef_rotated' }),
    });
    expect(s).toEqual({ value: 'k=0123456789abcdef', kind: 'apiKey' });
  });

  it('uses the route template with the method, falling back to the path', () => {
    expect(subject('route', { context: ctx({ route: '/items/:id' }) })?.value).toBe(
      'r=GET:/items/:id',
    );
    expect(subject('route', { context: ctx() })?.value).toBe('r=GET:/items/7');
  });

  it('keys by the sorted role set', () => {
    const actor = { type: 'user' as const, id: 'u', roles: ['viewer', 'admin'] };
    expect(subject('role', { context: ctx({ actor }) })?.value).toBe('role=admin+viewer');
    expect(subject('role', { context: ctx() })?.value).toBe('role=anonymous');
  });

  it('combines parts, and skips when any part is missing', () => {
    const input = { context: ctx({ tenantId: 'acme', route: '/ai' }) };
    expect(subject(['tenant', 'route'], input)).toEqual({
      value: 't=acme|r=GET:/ai',
      kind: 'tenant+route',
    });
    expect(subject(['tenant', 'route'], { context: ctx({ route: '/ai' }) })).toBeUndefined();
  });

  it('takes a function, skipping the policy when it returns nothing', () => {
    expect(subject(() => 'plan-pro', {})?.value).toBe('f=plan-pro');
    expect(subject(() => undefined, {})).toBeUndefined();
  });
});

describe('escaping', () => {
  it('hashes values that could break or collide with another key', () => {
    const keyer = createKeyer(defaults);
    for (const raw of ['a|b', 'a}b{', 'u=1|t=2', 'x'.repeat(200), 'ü', 'a b', '#abc', '']) {
      expect(keyer.escape(raw)).toMatch(/^#[A-Za-z0-9_-]{22}$/);
    }
    expect(keyer.escape('user-1@example.com')).toBe('user-1@example.com');
    expect(keyer.escape('a|b')).not.toBe(keyer.escape('a}b{'));
  });

  it('keeps exactly the values /^[A-Za-z0-9._:@/+-]{1,128}$/ accepts', () => {
    const keyer = createKeyer(defaults);
    const rule = /^[A-Za-z0-9._:@/+-]{1,128}$/;
    const values = ['x'.repeat(128), 'x'.repeat(129), 'a\u0000', '\u007f', 'é', '😀', 'a\nb'];
    for (let code = 0; code < 300; code++) values.push(`k${String.fromCharCode(code)}`);
    for (const value of values) {
      expect(keyer.escape(value) === value, JSON.stringify(value)).toBe(rule.test(value));
    }
  });

  it('hashes everything, with a secret when given, when hashKeys is on', () => {
    const plain = createKeyer({ ...defaults, hash: true });
    const keyed = createKeyer({ ...defaults, hash: { secret: 'a-long-enough-secret' } });
    const ip = { context: ctx({ ip: '192.0.2.1' }) };
    expect(plain.compile('ip')(ip)?.value).toMatch(/^ip=#/);
    expect(plain.compile('ip')(ip)?.value).not.toContain('192.0.2.1');
    expect(keyed.compile('ip')(ip)?.value).not.toBe(plain.compile('ip')(ip)?.value);
  });
});
