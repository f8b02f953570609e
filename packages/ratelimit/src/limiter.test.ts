import { type RequestContext, runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import type { DecisionEvent, DenyEvent } from './events.js';
import { decideRequest, rateLimiter } from './limiter.js';
import type { RateLimiterOptions } from './options.js';
import { type RateLimitStore, StoreUnavailableError } from './store.js';
import { memoryStore } from './stores/memory.js';

function ctx(o: Partial<RequestContext> = {}): RequestContext {
  return { requestId: 'req-1', method: 'GET', path: '/api/x', startTime: 0, ip: '192.0.2.1', ...o };
}

function collect(options: Partial<RateLimiterOptions> & Pick<RateLimiterOptions, 'policies'>) {
  const denials: DenyEvent[] = [];
  const decisions: DecisionEvent[] = [];
  const limiter = rateLimiter({
    log: (e) => {
      if (e.msg === 'rate limit exceeded') denials.push(e);
    },
    onDecision: (e) => decisions.push(e),
    ...options,
  });
  return { limiter, denials, decisions };
}

const user = (id: string, roles: string[] = []) => ({ type: 'user' as const, id, roles });

describe('check(key, { cost })', () => {
  it('returns allowed, remaining, reset and wait for every policy', async () => {
    const { limiter } = collect({
      policies: [
        { name: 'per-minute', limit: 20, window: '1m' },
        { name: 'per-day', limit: 1000, window: '1d', algorithm: 'fixed' },
      ],
    });
    const r = await limiter.check('tenant-1', { cost: 5 });
    expect(r).toMatchObject({ allowed: true, limited: false, policy: 'per-minute', remaining: 15 });
    expect(r.policies).toMatchObject([
      { policy: 'per-minute', allowed: true, remaining: 15, retryAfterMs: 0, kind: 'key', cost: 5 },
      { policy: 'per-day', allowed: true, remaining: 995, retryAfterMs: 0 },
    ]);
    expect(r.policies[1]?.resetMs).toBeGreaterThan(86_000_000);
  });

  it('spends nothing anywhere when one policy refuses (daily exhausted, minute untouched)', async () => {
    const { limiter } = collect({
      policies: [
        { name: 'per-minute', limit: 20, window: '1m' },
        { name: 'per-day', limit: 3, window: '1d' },
      ],
    });
    for (let i = 0; i < 3; i++) expect((await limiter.check('t')).allowed).toBe(true);
    const denied = await limiter.check('t');
    expect(denied).toMatchObject({ allowed: false, limited: true, policy: 'per-day' });
    expect(denied.policies.map((p) => [p.policy, p.allowed])).toEqual([
      ['per-minute', true],
      ['per-day', false],
    ]);
    const peek = await limiter.check('t', { cost: 0 });
    expect(peek.policies[0]).toMatchObject({ policy: 'per-minute', remaining: 17 });
  });

  it('gives back what a result spent, or part of it, once', async () => {
    const { limiter } = collect({ policies: { name: 'ai', limit: 10, window: '1d' } });
    const r = await limiter.check('acme', { cost: 6 });
    await limiter.refund(r, { cost: 4 });
    await limiter.refund(r);
    expect((await limiter.check('acme', { cost: 0 })).remaining).toBe(8);
    await limiter.refund('acme', { cost: 2 });
    expect((await limiter.check('acme', { cost: 0 })).remaining).toBe(10);
  });

  it('does not refund a refused result', async () => {
    const { limiter } = collect({ policies: { name: 'ai', limit: 1, window: '1d' } });
    await limiter.check('k');
    const refused = await limiter.check('k');
    await limiter.refund(refused);
    expect((await limiter.check('k', { cost: 0 })).remaining).toBe(0);
  });

  it('rejects a cost that is not a non-negative integer', async () => {
    const { limiter } = collect({ policies: { name: 'a', limit: 1, window: '1m' } });
    await expect(limiter.check('k', { cost: -1 })).rejects.toThrow(TypeError);
    await expect(limiter.check('k', { cost: 1.5 })).rejects.toThrow(TypeError);
  });

  it('forgets a key on reset', async () => {
    const { limiter } = collect({
      policies: { name: 'a', limit: 1, window: '1m', blockDuration: '1h' },
    });
    await limiter.check('k');
    expect((await limiter.check('k')).retryAfterMs).toBe(3_600_000);
    await limiter.reset('k');
    expect((await limiter.check('k')).allowed).toBe(true);
  });
});

describe('limits by role', () => {
  const policies = {
    name: 'per-user',
    limit: { admin: 100, viewer: 10, default: 20 },
    window: '1m',
  };

  it.each([
    [['admin'], 99],
    [['viewer'], 9],
    [['viewer', 'admin'], 99],
    [[], 19],
    [['auditor'], 19],
  ])('roles %j get their row of the table', async (roles, remaining) => {
    const { limiter } = collect({ policies });
    const r = await runWithContext(ctx({ actor: user('u', roles) }), () =>
      limiter.checkRequest({ context: ctx({ actor: user('u', roles) }) }),
    );
    expect(r.remaining).toBe(remaining);
  });

  it('takes a function of the request', async () => {
    const { limiter } = collect({
      policies: {
        name: 'p',
        limit: ({ context }) => (context?.tenantId === 'big' ? 500 : 5),
        window: '1m',
        by: 'tenant',
      },
    });
    expect((await limiter.checkRequest({ context: ctx({ tenantId: 'big' }) })).remaining).toBe(499);
    expect((await limiter.checkRequest({ context: ctx({ tenantId: 'small' }) })).remaining).toBe(4);
  });
});

describe('checkSync(key)', () => {
  it('answers at once over the memory store, exactly as check() would', async () => {
    const policies = [
      { name: 'per-minute', limit: 3, window: '1m' },
      { name: 'per-day', limit: 5, window: '1d', algorithm: 'fixed' as const },
    ];
    const clock = () => 1_700_000_000_000;
    const a = collect({ policies, store: memoryStore({ clock }) }).limiter;
    const b = collect({ policies, store: memoryStore({ clock }) }).limiter;
    for (let i = 0; i < 5; i++) {
      const sync = a.checkSync('t', { cost: 1 });
      expect(sync).not.toBeInstanceOf(Promise);
      expect(sync).toEqual(await b.check('t', { cost: 1 }));
    }
    expect(a.checkSync('t')).toMatchObject({ allowed: false, policy: 'per-minute' });
  });

  it('refunds what it spent, like check()', async () => {
    const { limiter } = collect({ policies: { name: 'p', limit: 2, window: '1m' } });
    const r = limiter.checkSync('k', { cost: 2 });
    expect(limiter.checkSync('k').allowed).toBe(false);
    await limiter.refund(r);
    expect(limiter.checkSync('k')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('throws a TypeError and spends nothing over a store that answers with promises', async () => {
    const inner = memoryStore();
    const calls: number[] = [];
    const store: RateLimitStore = {
      consume: async (checks) => {
        calls.push(checks.length);
        return inner.consume(checks);
      },
    };
    const limiter = rateLimiter({
      name: 'jobs',
      policies: { name: 'p', limit: 1, window: '1m' },
      store,
      log: false,
    });
    expect(() => limiter.checkSync('k')).toThrow(/"jobs": checkSync\(\) needs a synchronous store/);
    expect(calls).toEqual([]);
    expect((await limiter.check('k')).allowed).toBe(true);
  });

  it('refuses a store that claims to be synchronous but is not', () => {
    const store: RateLimitStore = {
      synchronous: true,
      consume: async (checks) => memoryStore().consume(checks),
    };
    const limiter = rateLimiter({
      name: 'liar',
      policies: { name: 'p', limit: 1, window: '1m' },
      store,
      log: false,
    });
    expect(() => limiter.checkSync('k')).toThrow(/answered with a promise/);
  });
});

describe('checkRequest', () => {
  it('counts users and anonymous IPs separately', async () => {
    const { limiter } = collect({ policies: { name: 'p', limit: 2, window: '1m' } });
    await limiter.checkRequest({ context: ctx({ actor: user('a') }) });
    await limiter.checkRequest({ context: ctx({ actor: user('a') }) });
    expect((await limiter.checkRequest({ context: ctx({ actor: user('a') }) })).allowed).toBe(
      false,
    );
    expect((await limiter.checkRequest({ context: ctx() })).allowed).toBe(true);
  });

  it('skips policies whose key is missing, and the request when none applies', async () => {
    const { limiter, decisions } = collect({
      policies: [
        { name: 'tenant', limit: 1, window: '1m', by: 'tenant' },
        { name: 'key', limit: 1, window: '1m', by: 'apiKey' },
      ],
    });
    const r = await limiter.checkRequest({ context: ctx() });
    expect(r).toMatchObject({ allowed: true, skipped: true, policies: [] });
    const t = await limiter.checkRequest({ context: ctx({ tenantId: 'acme' }) });
    expect(t.policies.map((p) => p.policy)).toEqual(['tenant']);
    expect(decisions.map((d) => d.outcome)).toEqual(['skipped', 'allowed']);
  });

  it('skips what skip() or the allow lists exempt', async () => {
    const { limiter } = collect({
      policies: { name: 'p', limit: 0, window: '1m', by: 'ip' },
      skip: ({ context }) => context?.path === '/health',
      allowList: { ips: ['10.0.0.0/8', '2001:db8::/32'], users: ['ops'], tenants: ['internal'] },
    });
    const skipped = async (c: RequestContext) =>
      (await limiter.checkRequest({ context: c })).skipped;
    expect(await skipped(ctx({ path: '/health' }))).toBe(true);
    expect(await skipped(ctx({ ip: '10.1.2.3' }))).toBe(true);
    expect(await skipped(ctx({ ip: '2001:db8:5::1' }))).toBe(true);
    expect(await skipped(ctx({ actor: user('ops') }))).toBe(true);
    expect(await skipped(ctx({ tenantId: 'internal' }))).toBe(true);
    expect(await skipped(ctx())).toBe(false);
  });

  it('blocks an abuser for the block duration', async () => {
    const { limiter } = collect({
      policies: { name: 'login', limit: 2, window: '1m', by: 'ip', blockDuration: '15m' },
    });
    const attempt = () => limiter.checkRequest({ context: ctx() });
    await attempt();
    await attempt();
    const blocked = await attempt();
    expect(blocked).toMatchObject({ allowed: false, retryAfterMs: 900_000 });
  });
});

describe('remembered keys and plans', () => {
  it('keeps clients apart, also once the bounded caches were cleared', async () => {
    const { limiter } = collect({
      policies: { name: 'p', limit: 1, window: '1m', by: 'ip', algorithm: 'fixed' },
      log: false,
    });
    const ip = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 10_050; i++) {
      const r = await limiter.checkRequest({ context: ctx({ ip: ip(i) }) });
      if (!r.allowed) throw new Error(`client ${ip(i)} refused on its first request`);
    }
    const again = await limiter.checkRequest({ context: ctx({ ip: ip(0) }) });
    expect(again).toMatchObject({ allowed: false, policies: [{ key: 'ip=10.0.0.0' }] });
    const last = await limiter.checkRequest({ context: ctx({ ip: ip(10_049) }) });
    expect(last).toMatchObject({ allowed: false, policies: [{ key: 'ip=10.0.39.65' }] });
  });

  it('plans a request cost, and a limit of the request, afresh each time', async () => {
    const { limiter } = collect({
      policies: [
        { name: 'fixed', limit: 10, window: '1m', by: 'ip' },
        { name: 'by-tenant', limit: ({ context }) => (context?.tenantId ? 5 : 2), window: '1m' },
      ],
    });
    const input = { context: ctx() };
    expect((await limiter.checkRequest(input)).policies.map((p) => p.remaining)).toEqual([9, 1]);
    const costly = await limiter.checkRequest(input, { cost: 1 });
    expect(costly.policies.map((p) => p.remaining)).toEqual([8, 0]);
    const tenant = await limiter.checkRequest({ context: ctx({ tenantId: 't' }) });
    expect(tenant.policies.map((p) => [p.limit, p.remaining])).toEqual([
      [10, 7],
      [5, 2],
    ]);
  });
});

describe('deny log and metrics', () => {
  it('logs each refusal once, with the request id, key kind and counts', async () => {
    const { limiter, denials, decisions } = collect({
      policies: [
        { name: 'per-user', limit: 1, window: '1m' },
        { name: 'per-route', limit: 1, window: '1m', by: 'route' },
      ],
    });
    const c = ctx({ actor: user('u-7'), route: '/api/x' });
    await limiter.checkRequest({ context: c });
    await limiter.checkRequest({ context: c });
    expect(denials).toHaveLength(1);
    expect(denials[0]).toMatchObject({
      level: 'warn',
      msg: 'rate limit exceeded',
      requestId: 'req-1',
      limiter: 'default',
      keyKind: 'user',
      key: 'u=u-7',
      violated: ['per-user', 'per-route'],
      dryRun: false,
      route: '/api/x',
    });
    expect(denials[0]?.policies[0]).toMatchObject({
      policy: 'per-user',
      limit: 1,
      remaining: 0,
      cost: 1,
    });
    expect(decisions.map((d) => d.outcome)).toEqual(['allowed', 'denied']);
  });

  it('never logs the raw IP when keys are hashed', async () => {
    const { limiter, denials } = collect({
      policies: { name: 'p', limit: 0, window: '1m', by: 'ip' },
      hashKeys: { secret: 'a-long-enough-secret' },
    });
    await limiter.checkRequest({ context: ctx({ ip: '203.0.113.9' }) });
    expect(denials[0]?.keyKind).toBe('ip');
    expect(JSON.stringify(denials)).not.toContain('203.0.113');
  });

  it('survives a logger and a hook that throw', async () => {
    const limiter = rateLimiter({
      policies: { name: 'p', limit: 0, window: '1m' },
      log: () => {
        throw new Error('disk full');
      },
      onDecision: () => {
        throw new Error('metrics down');
      },
    });
    expect((await limiter.check('k')).allowed).toBe(false);
  });
});

describe('dry-run', () => {
  it('counts and logs, but never refuses', async () => {
    const { limiter, denials, decisions } = collect({
      policies: { name: 'p', limit: 1, window: '1m' },
      dryRun: true,
    });
    await limiter.check('k');
    const r = await limiter.check('k');
    expect(r).toMatchObject({ allowed: true, limited: true, dryRun: true });
    expect(denials[0]).toMatchObject({ dryRun: true, violated: ['p'] });
    expect(decisions.map((d) => d.outcome)).toEqual(['allowed', 'dry-run']);
  });
});

describe('decideRequest (what the HTTP bindings call)', () => {
  const policies = { name: 'p', limit: 1, window: '1m', by: 'ip' } as const;
  const input = { context: ctx() };

  it('answers without a promise when the store and skip are synchronous', async () => {
    const { limiter } = collect({ policies, skip: () => false });
    const first = decideRequest(limiter, input);
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ allowed: true, remaining: 0 });
    expect(decideRequest(limiter, input)).toMatchObject({ allowed: false, limited: true });
    expect(await limiter.checkRequest(input)).toMatchObject({ allowed: false });
  });

  it('returns a promise for an asynchronous store or skip, with the same decisions', async () => {
    const inner = memoryStore();
    const store: RateLimitStore = { consume: async (checks) => inner.consume(checks) };
    for (const options of [{ store }, { skip: async () => false }]) {
      const { limiter } = collect({ policies, ...options });
      const first = decideRequest(limiter, input);
      expect(first).toBeInstanceOf(Promise);
      expect(await first).toMatchObject({ allowed: true, remaining: 0 });
      expect(await decideRequest(limiter, input)).toMatchObject({ allowed: false });
    }
  });

  it('falls back to checkRequest for a RateLimiter built elsewhere', async () => {
    const { limiter } = collect({ policies });
    const own = { ...limiter, checkRequest: limiter.checkRequest };
    for (const symbol of Object.getOwnPropertySymbols(own))
      delete (own as Record<symbol, unknown>)[symbol];
    expect(decideRequest(own, input)).toBeInstanceOf(Promise);
  });
});

describe('store failures', () => {
  const broken: RateLimitStore = {
    consume: () => Promise.reject(new StoreUnavailableError('timeout')),
  };
  const throwing: RateLimitStore = {
    consume: () => {
      throw new Error('boom');
    },
  };

  it.each([
    ['open', true, 'failed-open'],
    ['closed', false, 'failed-closed'],
  ] as const)('fail %s: allowed=%s, flagged', async (failMode, allowed, outcome) => {
    for (const store of [broken, throwing]) {
      const { limiter, decisions } = collect({
        policies: { name: 'p', limit: 5, window: '1m' },
        store,
        failMode,
      });
      const r = await limiter.check('k');
      expect(r).toMatchObject({ allowed, degraded: true, limited: false });
      expect(r.error).toBeInstanceOf(Error);
      expect(decisions[0]?.outcome).toBe(outcome);
    }
  });

  it('reports refunds and resets a store cannot do', async () => {
    const { limiter } = collect({
      policies: { name: 'p', limit: 5, window: '1m' },
      store: { consume: memoryStore().consume },
    });
    await expect(limiter.refund('k', { cost: 1 })).rejects.toThrow(/refund/);
    await expect(limiter.reset('k')).rejects.toThrow(/reset/);
  });
});
