import { randomUUID } from 'node:crypto';
import type { StoreSuite } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { LedgerStore, UsageRecord } from '../store.js';
import { HOUR, T0 } from './budget.js';

/** The named suites of the ledger store conformance run, in order; `skip` takes these. */
export type LedgerStoreSuite = 'records' | 'rollups';

/** A settled gpt-4o-mini call of tenant `acme` at T0 costing 1,000 nano-USD; `over` changes any field. */
export function usageRecord(over: Partial<UsageRecord> & { id: string }): UsageRecord {
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

const records: StoreSuite<LedgerStore> = (store) => {
  const tenant = `t-${randomUUID()}`;
  it('stores records and finds them by tenant and request id, newest first', async () => {
    await store().record([
      usageRecord({ id: randomUUID(), tenant, at: T0, requestId: 'req-1', user: 'u1' }),
      usageRecord({
        id: randomUUID(),
        tenant,
        at: T0 + 1000,
        requestId: 'req-2',
        estimated: true,
        outcome: 'cut',
      }),
    ]);
    const all = await store().records({ tenant });
    expect(all.map((r) => r.requestId)).toEqual(['req-2', 'req-1']);
    const one = await store().records({ tenant, requestId: 'req-1' });
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      user: 'u1',
      costNanoUsd: 1_000n,
      usage: { cacheReadTokens: 2, reasoningTokens: 1 },
    });
    expect(all[0]).toMatchObject({ estimated: true, outcome: 'cut' });
  });
};

const rollups: StoreSuite<LedgerStore> = (store) => {
  it('is idempotent by record id and rolls up per day, tenant, user and model exactly', async () => {
    const t = `t-${randomUUID()}`;
    const big = 9_007_199_254_740_993n;
    const first = usageRecord({ id: randomUUID(), tenant: t, costNanoUsd: big, user: 'u1' });
    await store().record([first]);
    await store().record([first]);
    await store().record([
      usageRecord({ id: randomUUID(), tenant: t, costNanoUsd: big, user: 'u1' }),
      usageRecord({
        id: randomUUID(),
        tenant: t,
        model: 'gpt-4o',
        day: '2026-01-16',
        at: T0 + 24 * HOUR,
      }),
      usageRecord({ id: randomUUID(), tenant: t, day: '2026-01-20', at: T0 + 5 * 24 * HOUR }),
    ]);
    const rows = await store().rollups({ tenant: t, fromDay: '2026-01-15', toDay: '2026-01-16' });
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
};

export const LEDGER_STORE_SUITES: Record<LedgerStoreSuite, StoreSuite<LedgerStore>> = {
  records,
  rollups,
};
