import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetStore, CounterStep, LedgerStore, UsageRecord } from './store.js';

type Factory<S> = () => S | Promise<S>;

const T0 = Date.UTC(2026, 0, 15, 12);
const HOUR = 3_600_000;

function counter(key: string, amount: number, limit: number, enforce = true): CounterStep {
  return { key, amount, limit, enforce, expiresAt: T0 + 48 * HOUR };
}

/**
 * The conformance suite every BudgetStore passes: atomic admission against several limits,
 * settlement, release, expiry of holds and counters, once-only claims, and no overshoot
 * under concurrency.
 *
 * @example
 * testBudgetStore('redis', () => redisBudgetStore({ client, prefix: `t${Date.now()}:` }));
 */
export function testBudgetStore(name: string, factory: Factory<BudgetStore>): void {
  describe(`BudgetStore conformance: ${name}`, () => {
    let store: BudgetStore;
    const group = () => `g-${randomUUID()}`;
    beforeAll(async () => {
      store = await factory();
    });
    afterAll(async () => {
      await store.close?.();
    });

    it('admits within every limit and adds every amount', async () => {
      const g = group();
      const r = await store.admit({
        id: 'r1',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('calls', 1, 10), counter('money', 500, 1000)],
      });
      expect(r).toEqual({ ok: true, values: [1, 500] });
      expect(await store.peek(g, ['calls', 'money', 'absent'], T0)).toEqual([1, 500, 0]);
    });

    it('refuses when any enforced limit would be passed, and changes nothing', async () => {
      const g = group();
      await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 900, 1000)],
      });
      const r = await store.admit({
        id: 'b',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('c', 1, 10), counter('m', 101, 1000)],
      });
      expect(r).toEqual({ ok: false, blocked: 1, values: [0, 900] });
      expect(await store.peek(g, ['c', 'm'], T0)).toEqual([0, 900]);
      const exact = await store.admit({
        id: 'c',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 100, 1000)],
      });
      expect(exact.ok).toBe(true);
    });

    it('never refuses on a soft counter', async () => {
      const g = group();
      const r = await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('s', 50, 10, false)],
      });
      expect(r).toEqual({ ok: true, values: [50] });
    });

    it('settlement replaces the held amount with the actual one', async () => {
      const g = group();
      await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 700, 1000), counter('c', 1, 5)],
      });
      await store.admit({
        id: 'b',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 200, 1000)],
      });
      const s = await store.settle({
        id: 'a',
        group: g,
        now: T0 + 1000,
        counters: [
          { key: 'm', amount: 123, expiresAt: T0 + 48 * HOUR },
          { key: 'c', amount: 1, expiresAt: T0 + 48 * HOUR },
        ],
      });
      expect(s).toEqual({ found: true, values: [323, 1] });
      const again = await store.settle({
        id: 'b',
        group: g,
        now: T0 + 1000,
        counters: [{ key: 'm', amount: 250, expiresAt: T0 + 48 * HOUR }],
      });
      expect(again.values).toEqual([373]);
    });

    it('release drops a hold without usage', async () => {
      const g = group();
      await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 700, 1000)],
      });
      await store.release(g, 'a', T0);
      expect(await store.peek(g, ['m'], T0)).toEqual([0]);
    });

    it('an unsettled hold is released after it expires; a late settlement still counts', async () => {
      const g = group();
      await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + 1000,
        counters: [counter('m', 900, 1000)],
      });
      const blocked = await store.admit({
        id: 'b',
        group: g,
        now: T0 + 500,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 200, 1000)],
      });
      expect(blocked.ok).toBe(false);
      const after = await store.admit({
        id: 'c',
        group: g,
        now: T0 + 2000,
        holdUntil: T0 + HOUR,
        counters: [counter('m', 200, 1000)],
      });
      expect(after).toEqual({ ok: true, values: [200] });
      const late = await store.settle({
        id: 'a',
        group: g,
        now: T0 + 3000,
        counters: [{ key: 'm', amount: 50, expiresAt: T0 + 48 * HOUR }],
      });
      expect(late).toEqual({ found: false, values: [250] });
    });

    it('drops counters whose period has ended', async () => {
      const g = group();
      await store.admit({
        id: 'a',
        group: g,
        now: T0,
        holdUntil: T0 + 1000,
        counters: [{ key: 'day1', amount: 5, limit: 10, enforce: true, expiresAt: T0 + 10_000 }],
      });
      expect(await store.peek(g, ['day1'], T0 + 20_000)).toEqual([0]);
    });

    it('admits exactly up to the limit under concurrency', async () => {
      const g = group();
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          store.admit({
            id: `r${i}`,
            group: g,
            now: T0,
            holdUntil: T0 + HOUR,
            counters: [counter('c', 1, 25), counter('m', 10, 1_000_000)],
          }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(25);
      expect(await store.peek(g, ['c', 'm'], T0)).toEqual([25, 250]);
    });

    it('claims a key exactly once until it expires, also concurrently', async () => {
      const g = group();
      const wins = await Promise.all(
        Array.from({ length: 20 }, () => store.claim(g, 'alert:x:50', T0 + 10_000, T0)),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.claim(g, 'alert:x:50', T0 + 10_000, T0 + 5000)).toBe(false);
      expect(await store.claim(g, 'alert:x:50', T0 + 30_000, T0 + 20_000)).toBe(true);
    });

    it('keeps groups apart', async () => {
      const a = group();
      const b = group();
      await store.admit({
        id: 'x',
        group: a,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('c', 3, 3)],
      });
      const r = await store.admit({
        id: 'x',
        group: b,
        now: T0,
        holdUntil: T0 + HOUR,
        counters: [counter('c', 3, 3)],
      });
      expect(r.ok).toBe(true);
    });
  });
}

function rec(over: Partial<UsageRecord> & { id: string }): UsageRecord {
  return {
    at: T0,
    day: '2026-01-15',
    tenant: 'acme',
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: {
      inputTokens: 10,
      cacheReadTokens: 2,
      cacheWriteTokens: 0,
      outputTokens: 5,
      reasoningTokens: 1,
    },
    totalTokens: 18,
    costNanoUsd: 1_000n,
    priceVersion: 'v1:gpt-4o-mini@2024-07-18',
    estimated: false,
    outcome: 'ok',
    ...over,
  };
}

/**
 * The conformance suite every LedgerStore passes: idempotent records, queries by tenant and
 * request id, and exact daily rollups (BigInt money beyond 2^53).
 */
export function testLedgerStore(name: string, factory: Factory<LedgerStore>): void {
  describe(`LedgerStore conformance: ${name}`, () => {
    let store: LedgerStore;
    const tenant = `t-${randomUUID()}`;
    beforeAll(async () => {
      store = await factory();
    });
    afterAll(async () => {
      await store.close?.();
    });

    it('stores records and finds them by tenant and request id, newest first', async () => {
      await store.record([
        rec({ id: randomUUID(), tenant, at: T0, requestId: 'req-1', user: 'u1' }),
        rec({
          id: randomUUID(),
          tenant,
          at: T0 + 1000,
          requestId: 'req-2',
          estimated: true,
          outcome: 'cut',
        }),
      ]);
      const all = await store.records({ tenant });
      expect(all.map((r) => r.requestId)).toEqual(['req-2', 'req-1']);
      const one = await store.records({ tenant, requestId: 'req-1' });
      expect(one).toHaveLength(1);
      expect(one[0]).toMatchObject({
        user: 'u1',
        costNanoUsd: 1_000n,
        usage: { cacheReadTokens: 2, reasoningTokens: 1 },
      });
      expect(all[0]).toMatchObject({ estimated: true, outcome: 'cut' });
    });

    it('is idempotent by record id and rolls up per day, tenant, user and model exactly', async () => {
      const t = `t-${randomUUID()}`;
      const big = 9_007_199_254_740_993n;
      const first = rec({ id: randomUUID(), tenant: t, costNanoUsd: big, user: 'u1' });
      await store.record([first]);
      await store.record([first]);
      await store.record([
        rec({ id: randomUUID(), tenant: t, costNanoUsd: big, user: 'u1' }),
        rec({
          id: randomUUID(),
          tenant: t,
          model: 'gpt-4o',
          day: '2026-01-16',
          at: T0 + 24 * HOUR,
        }),
        rec({ id: randomUUID(), tenant: t, day: '2026-01-20', at: T0 + 5 * 24 * HOUR }),
      ]);
      const rows = await store.rollups({ tenant: t, fromDay: '2026-01-15', toDay: '2026-01-16' });
      expect(rows.map((r) => [r.day, r.user, r.model, r.calls, r.costNanoUsd])).toEqual([
        ['2026-01-15', 'u1', 'gpt-4o-mini', 2, big * 2n],
        ['2026-01-16', '', 'gpt-4o', 1, 1_000n],
      ]);
      expect(rows[0]).toMatchObject({
        inputTokens: 20,
        cacheReadTokens: 4,
        outputTokens: 10,
        reasoningTokens: 2,
      });
    });
  });
}
