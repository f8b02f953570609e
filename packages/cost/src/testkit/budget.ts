import { randomUUID } from 'node:crypto';
import type { StoreSuite } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { BudgetStore, CounterStep } from '../store.js';

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

function counter(key: string, amount: number, limit: number, enforce = true): CounterStep {
  return { key, amount, limit, enforce, expiresAt: T0 + 48 * HOUR };
}

/** A budget group no other test shares. */
const group = () => `g-${randomUUID()}`;

const admission: StoreSuite<BudgetStore> = (store) => {
  it('admits within every limit and adds every amount', async () => {
    const g = group();
    const r = await store().admit({
      id: 'r1',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('calls', 1, 10), counter('money', 500, 1000)],
    });
    expect(r).toEqual({ ok: true, values: [1, 500] });
    expect(await store().peek(g, ['calls', 'money', 'absent'], T0)).toEqual([1, 500, 0]);
  });

  it('refuses when any enforced limit would be passed, and changes nothing', async () => {
    const g = group();
    await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 900, 1000)],
    });
    const r = await store().admit({
      id: 'b',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('c', 1, 10), counter('m', 101, 1000)],
    });
    expect(r).toEqual({ ok: false, blocked: 1, values: [0, 900] });
    expect(await store().peek(g, ['c', 'm'], T0)).toEqual([0, 900]);
    const exact = await store().admit({
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
    const r = await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('s', 50, 10, false)],
    });
    expect(r).toEqual({ ok: true, values: [50] });
  });
};

const settlement: StoreSuite<BudgetStore> = (store) => {
  it('settlement replaces the held amount with the actual one', async () => {
    const g = group();
    await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 700, 1000), counter('c', 1, 5)],
    });
    await store().admit({
      id: 'b',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 200, 1000)],
    });
    const s = await store().settle({
      id: 'a',
      group: g,
      now: T0 + 1000,
      counters: [
        { key: 'm', amount: 123, expiresAt: T0 + 48 * HOUR },
        { key: 'c', amount: 1, expiresAt: T0 + 48 * HOUR },
      ],
    });
    expect(s).toEqual({ found: true, values: [323, 1] });
    const again = await store().settle({
      id: 'b',
      group: g,
      now: T0 + 1000,
      counters: [{ key: 'm', amount: 250, expiresAt: T0 + 48 * HOUR }],
    });
    expect(again.values).toEqual([373]);
  });

  it('release drops a hold without usage', async () => {
    const g = group();
    await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 700, 1000)],
    });
    await store().release(g, 'a', T0);
    expect(await store().peek(g, ['m'], T0)).toEqual([0]);
  });
};

const expiry: StoreSuite<BudgetStore> = (store) => {
  it('an unsettled hold is released after it expires; a late settlement still counts', async () => {
    const g = group();
    await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + 1000,
      counters: [counter('m', 900, 1000)],
    });
    const blocked = await store().admit({
      id: 'b',
      group: g,
      now: T0 + 500,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 200, 1000)],
    });
    expect(blocked.ok).toBe(false);
    const after = await store().admit({
      id: 'c',
      group: g,
      now: T0 + 2000,
      holdUntil: T0 + HOUR,
      counters: [counter('m', 200, 1000)],
    });
    expect(after).toEqual({ ok: true, values: [200] });
    const late = await store().settle({
      id: 'a',
      group: g,
      now: T0 + 3000,
      counters: [{ key: 'm', amount: 50, expiresAt: T0 + 48 * HOUR }],
    });
    expect(late).toEqual({ found: false, values: [250] });
  });

  it('drops counters whose period has ended', async () => {
    const g = group();
    await store().admit({
      id: 'a',
      group: g,
      now: T0,
      holdUntil: T0 + 1000,
      counters: [{ key: 'day1', amount: 5, limit: 10, enforce: true, expiresAt: T0 + 10_000 }],
    });
    expect(await store().peek(g, ['day1'], T0 + 20_000)).toEqual([0]);
  });
};

const concurrency: StoreSuite<BudgetStore> = (store) => {
  it('admits exactly up to the limit under concurrency', async () => {
    const g = group();
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        store().admit({
          id: `r${i}`,
          group: g,
          now: T0,
          holdUntil: T0 + HOUR,
          counters: [counter('c', 1, 25), counter('m', 10, 1_000_000)],
        }),
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
    await store().admit({
      id: 'x',
      group: a,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('c', 3, 3)],
    });
    const r = await store().admit({
      id: 'x',
      group: b,
      now: T0,
      holdUntil: T0 + HOUR,
      counters: [counter('c', 3, 3)],
    });
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
