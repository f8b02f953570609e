import { randomUUID } from 'node:crypto';
import type { StoreGetter, StoreSuite } from '@platform/core/testkit';
import { describe, expect, it } from 'vitest';
import type { Algorithm, RateLimitStore, StoreCheck, StoreDecision } from '../store.js';

/** The named suites of the rate-limit store conformance run, in order; `skip` takes these. */
export type RateLimitStoreSuite =
  | 'limits'
  | 'cost'
  | 'atomic'
  | 'concurrency'
  | 'expiry'
  | 'block'
  | 'refund'
  | 'reset'
  | 'keys'
  | 'gcra'
  | 'clock';

const ALGORITHMS: Algorithm[] = ['fixed', 'sliding', 'gcra'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Key, check and single-outcome helpers over the store under test, with keys unique per run. */
function fixtures(store: StoreGetter<RateLimitStore>) {
  const run = randomUUID().slice(0, 8);
  let n = 0;
  // "scope|subject": the suite varies both parts, as limiters do.
  const key = (label: string) => `tk:${label}|${run}:${n++}`;
  const check = (k: string, algorithm: Algorithm, o: Partial<StoreCheck> = {}): StoreCheck => {
    const limit = o.limit ?? 5;
    const [scope = '', subject = ''] = k.split('|');
    return {
      key: `{${subject}}${scope}`,
      scope,
      subject,
      algorithm,
      limit,
      windowMs: 60_000,
      burst: limit,
      cost: 1,
      blockMs: 0,
      ...o,
    };
  };
  const one = async (c: StoreCheck) => (await store().consume([c])).outcomes[0]!;
  return { key, check, one };
}

const integers = (d: StoreDecision) =>
  d.outcomes.every((o) =>
    [o.remaining, o.resetMs, o.retryAfterMs].every((v) => Number.isSafeInteger(v) && v >= 0),
  );

const limits: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  describe.each(ALGORITHMS)('%s', (algorithm) => {
    const windowBound = algorithm === 'sliding' ? 120_000 : 60_000;

    it('admits exactly the limit, counting down, then refuses with a wait', async () => {
      const k = key('limit');
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const o = await one(check(k, algorithm));
        expect(o.allowed).toBe(true);
        expect(o.retryAfterMs).toBe(0);
        remaining.push(o.remaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const denied = await store().consume([check(k, algorithm)]);
      const o = denied.outcomes[0]!;
      expect(o).toMatchObject({ allowed: false, remaining: 0 });
      expect(o.retryAfterMs).toBeGreaterThan(0);
      expect(o.retryAfterMs).toBeLessThanOrEqual(windowBound);
      expect(o.resetMs).toBeGreaterThan(0);
      expect(o.resetMs).toBeLessThanOrEqual(windowBound);
      expect(integers(denied)).toBe(true);
    });

    it('refuses everything at limit 0 and a cost above the limit', async () => {
      expect((await one(check(key('zero'), algorithm, { limit: 0 }))).allowed).toBe(false);
      const k = key('huge');
      expect((await one(check(k, algorithm, { cost: 6 }))).allowed).toBe(false);
      expect(await one(check(k, algorithm, { cost: 0 }))).toMatchObject({ remaining: 5 });
    });
  });
};

const cost: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  describe.each(ALGORITHMS)('%s', (algorithm) => {
    it('spends weighted cost and refuses, spending nothing, when the cost does not fit', async () => {
      const k = key('cost');
      expect(await one(check(k, algorithm, { cost: 3 }))).toMatchObject({
        allowed: true,
        remaining: 2,
      });
      expect(await one(check(k, algorithm, { cost: 3 }))).toMatchObject({
        allowed: false,
        remaining: 2,
      });
      expect(await one(check(k, algorithm, { cost: 2 }))).toMatchObject({
        allowed: true,
        remaining: 0,
      });
    });

    it('reads without spending at cost 0', async () => {
      const k = key('peek');
      await one(check(k, algorithm, { cost: 2 }));
      for (let i = 0; i < 3; i++) {
        expect(await one(check(k, algorithm, { cost: 0 }))).toMatchObject({
          allowed: true,
          remaining: 3,
        });
      }
    });
  });
};

const atomic: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)(
    '%s: spends nothing in any check when one check of the step refuses',
    async (algorithm) => {
      const minute = key('minute');
      const daily = minute.replace('tk:minute|', 'tk:daily|');
      await one(check(daily, algorithm, { limit: 1 }));
      const d = await store().consume([
        check(minute, algorithm),
        check(daily, algorithm, { limit: 1 }),
      ]);
      expect(d.outcomes.map((o) => o.allowed)).toEqual([true, false]);
      expect(await one(check(minute, algorithm, { cost: 0 }))).toMatchObject({ remaining: 5 });
    },
  );
};

const concurrency: StoreSuite<RateLimitStore> = (store) => {
  const { key, check } = fixtures(store);
  it.each(ALGORITHMS)('%s: admits exactly the limit under concurrent calls', async (algorithm) => {
    const k = key('race');
    const all = await Promise.all(
      Array.from({ length: 100 }, () => store().consume([check(k, algorithm, { limit: 20 })])),
    );
    expect(all.filter((d) => d.outcomes[0]!.allowed)).toHaveLength(20);
  });
};

const expiry: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)('%s: admits again once the reported wait has passed', async (algorithm) => {
    const c = check(key('expiry'), algorithm, { limit: 2, windowMs: 100 });
    await store().consume([c]);
    await store().consume([c]);
    const denied = await one(c);
    expect(denied.allowed).toBe(false);
    await sleep(denied.retryAfterMs + 30);
    expect((await one(c)).allowed).toBe(true);
  });
};

const block: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)(
    '%s: blocks a refused key for blockMs, beyond its window',
    async (algorithm) => {
      const c = check(key('block'), algorithm, { limit: 1, windowMs: 200, blockMs: 60_000 });
      expect((await one(c)).allowed).toBe(true);
      const denied = await one(c);
      expect(denied.allowed).toBe(false);
      expect(denied.retryAfterMs).toBeGreaterThan(50_000);
      await sleep(250);
      const still = await one(c);
      expect(still.allowed).toBe(false);
      expect(still.retryAfterMs).toBeGreaterThan(50_000);
      expect(still.retryAfterMs).toBeLessThanOrEqual(denied.retryAfterMs);
    },
  );
};

const refund: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)('%s: gives units back on refund', async (algorithm) => {
    const k = key('refund');
    await one(check(k, algorithm, { cost: 5 }));
    await store().refund!([check(k, algorithm, { cost: 2 })]);
    expect(await one(check(k, algorithm, { cost: 2 }))).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect((await one(check(k, algorithm))).allowed).toBe(false);
  });
};

const reset: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)('%s: forgets a key on reset, blocks included', async (algorithm) => {
    const k = key('reset');
    const c = check(k, algorithm, { limit: 1, blockMs: 60_000 });
    await one(c);
    expect((await one(c)).allowed).toBe(false);
    await store().reset!([check(k, algorithm)]);
    expect((await one(c)).allowed).toBe(true);
  });
};

const keys: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it.each(ALGORITHMS)('%s: keeps keys independent', async (algorithm) => {
    const a = key('a');
    const b = key('b');
    await one(check(a, algorithm, { cost: 5 }));
    expect((await one(check(a, algorithm))).allowed).toBe(false);
    expect(await one(check(b, algorithm))).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('treats keys as opaque strings', async () => {
    const base = key('opaque');
    const all = [`${base}:{tag}`, `${base}:ü 🚀`, `${base}:a:b`, `${base}:a`, `x${base}:a`];
    for (const k of all) await one(check(k, 'fixed', { limit: 1 }));
    for (const k of all) expect((await one(check(k, 'fixed', { limit: 1 }))).allowed).toBe(false);
    expect((await one(check(`${base}:b`, 'fixed', { limit: 1 }))).allowed).toBe(true);
  });
};

const gcra: StoreSuite<RateLimitStore> = (store) => {
  const { key, check, one } = fixtures(store);
  it('paces GCRA by its burst and emission interval', async () => {
    const c = check(key('burst'), 'gcra', { limit: 10, burst: 2 });
    expect(await one(c)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await one(c)).toMatchObject({ allowed: true, remaining: 0 });
    const denied = await one(c);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBeGreaterThan(4000);
    expect(denied.retryAfterMs).toBeLessThanOrEqual(6000);
  });
};

const clock: StoreSuite<RateLimitStore> = (store) => {
  const { key, check } = fixtures(store);
  it('reports its clock in epoch milliseconds', async () => {
    const d = await store().consume([check(key('clock'), 'fixed')]);
    expect(Number.isSafeInteger(d.now)).toBe(true);
    expect(Math.abs(d.now - Date.now())).toBeLessThan(60_000);
  });
};

export const RATE_LIMIT_STORE_SUITES: Record<RateLimitStoreSuite, StoreSuite<RateLimitStore>> = {
  limits,
  cost,
  atomic,
  concurrency,
  expiry,
  block,
  refund,
  reset,
  keys,
  gcra,
  clock,
};
