import { randomUUID } from 'node:crypto';
import type { StoreSuite } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { BudgetStore, CounterStep, SettleRequest } from '../store.js';

/** The named suites of the budget store conformance run, in order; `skip` takes these. */
export type BudgetStoreSuite =
  | 'admission'
  | 'settlement'
  | 'expiry'
  | 'concurrency'
  | 'claims'
  | 'groups';

export const T0 = Date.UTC(2026, 0, 15, 12);
export const HOUR = 3_600_000;

const EXPIRES = T0 + 48 * HOUR;

function counter(key: string, amount: number, limit: number, enforce = true): CounterStep {
  return { key, amount, limit, enforce, expiresAt: EXPIRES };
}

/** A settled amount for counter `key`. */
function used(key: string, amount: number) {
  return { key, amount, expiresAt: EXPIRES };
}

/** Admits hold `id` in group `g`; `now` is T0 and the hold lasts until T0 + 1h unless told. */
function admit(
  store: BudgetStore,
  g: string,
  id: string,
  counters: CounterStep[],
  { now = T0, holdUntil = T0 + HOUR }: { now?: number; holdUntil?: number } = {},
) {
  return store.admit({ id, group: g, now, holdUntil, counters });
}

/** Settles hold `id` in group `g` at `now` with the actual amounts. */
function settle(
  store: BudgetStore,
  g: string,
  id: string,
  now: number,
  counters: SettleRequest['counters'],
) {
  return store.settle({ id, group: g, now, counters });
}

/** A budget group no other test shares. */
const group = () => `g-${randomUUID()}`;

const admission: StoreSuite<BudgetStore> = (store) => {
  it('admits within every limit and adds every amount', async () => {
    const g = group();
    const r = await admit(store(), g, 'r1', [counter('calls', 1, 10), counter('money', 500, 1000)]);
    expect(r).toEqual({ ok: true, values: [1, 500] });
    expect(await store().peek(g, ['calls', 'money', 'absent'], T0)).toEqual([1, 500, 0]);
  });

  it('refuses when any enforced limit would be passed, and changes nothing', async () => {
    const g = group();
    await admit(store(), g, 'a', [counter('m', 900, 1000)]);
    const r = await admit(store(), g, 'b', [counter('c', 1, 10), counter('m', 101, 1000)]);
    expect(r).toEqual({ ok: false, blocked: 1, values: [0, 900] });
    expect(await store().peek(g, ['c', 'm'], T0)).toEqual([0, 900]);
    const exact = await admit(store(), g, 'c', [counter('m', 100, 1000)]);
    expect(exact.ok).toBe(true);
  });

  it('never refuses on a soft counter', async () => {
    const g = group();
    const r = await admit(store(), g, 'a', [counter('s', 50, 10, false)]);
    expect(r).toEqual({ ok: true, values: [50] });
  });
};

const settlement: StoreSuite<BudgetStore> = (store) => {
  it('settlement replaces the held amount with the actual one', async () => {
    const g = group();
    await admit(store(), g, 'a', [counter('m', 700, 1000), counter('c', 1, 5)]);
    await admit(store(), g, 'b', [counter('m', 200, 1000)]);
    const s = await settle(store(), g, 'a', T0 + 1000, [used('m', 123), used('c', 1)]);
    expect(s).toEqual({ found: true, values: [323, 1] });
    const again = await settle(store(), g, 'b', T0 + 1000, [used('m', 250)]);
    expect(again.values).toEqual([373]);
  });

  it('release drops a hold without usage', async () => {
    const g = group();
    await admit(store(), g, 'a', [counter('m', 700, 1000)]);
    await store().release(g, 'a', T0);
    expect(await store().peek(g, ['m'], T0)).toEqual([0]);
  });
};

const expiry: StoreSuite<BudgetStore> = (store) => {
  it('an unsettled hold is released after it expires; a late settlement still counts', async () => {
    const g = group();
    await admit(store(), g, 'a', [counter('m', 900, 1000)], { holdUntil: T0 + 1000 });
    const blocked = await admit(store(), g, 'b', [counter('m', 200, 1000)], { now: T0 + 500 });
    expect(blocked.ok).toBe(false);
    const after = await admit(store(), g, 'c', [counter('m', 200, 1000)], { now: T0 + 2000 });
    expect(after).toEqual({ ok: true, values: [200] });
    const late = await settle(store(), g, 'a', T0 + 3000, [used('m', 50)]);
    expect(late).toEqual({ found: false, values: [250] });
  });

  it('drops counters whose period has ended', async () => {
    const g = group();
    await admit(
      store(),
      g,
      'a',
      [{ key: 'day1', amount: 5, limit: 10, enforce: true, expiresAt: T0 + 10_000 }],
      { holdUntil: T0 + 1000 },
    );
    expect(await store().peek(g, ['day1'], T0 + 20_000)).toEqual([0]);
  });
};

const concurrency: StoreSuite<BudgetStore> = (store) => {
  it('admits exactly up to the limit under concurrency', async () => {
    const g = group();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        admit(store(), g, `r${i}`, [counter('c', 1, 25), counter('m', 10, 1_000_000)]),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(25);
    expect(await store().peek(g, ['c', 'm'], T0)).toEqual([25, 250]);
  });
};

const claims: StoreSuite<BudgetStore> = (store) => {
  it('claims a key exactly once until it expires, also concurrently', async () => {
    const g = group();
    const wins = await Promise.all(
      Array.from({ length: 20 }, () => store().claim(g, 'alert:x:50', T0 + 10_000, T0)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store().claim(g, 'alert:x:50', T0 + 10_000, T0 + 5000)).toBe(false);
    expect(await store().claim(g, 'alert:x:50', T0 + 30_000, T0 + 20_000)).toBe(true);
  });
};

const groups: StoreSuite<BudgetStore> = (store) => {
  it('keeps groups apart', async () => {
    const a = group();
    const b = group();
    await admit(store(), a, 'x', [counter('c', 3, 3)]);
    const r = await admit(store(), b, 'x', [counter('c', 3, 3)]);
    expect(r.ok).toBe(true);
  });
};

export const BUDGET_STORE_SUITES: Record<BudgetStoreSuite, StoreSuite<BudgetStore>> = {
  admission,
  settlement,
  expiry,
  concurrency,
  claims,
  groups,
};
