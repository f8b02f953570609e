import { type Usage, ZERO_USAGE } from '@platform/core/genai';
import { describe, expect, it } from 'vitest';
import { formatUsd, usd } from './money.js';
import { pricingTable } from './pricing.js';
import type { UsageRecord } from './store.js';
import { memoryStore } from './stores/memory.js';

describe('money', () => {
  it('parses USD decimals to nano-USD exactly and formats them back', () => {
    expect(usd('2.50')).toBe(2_500_000_000n);
    expect(usd('0.000000001')).toBe(1n);
    expect(usd('0.1')).toBe(100_000_000n);
    expect(formatUsd(2_285_346_000_000n)).toBe('2285.34');
    expect(formatUsd(1n, 9)).toBe('0.000000001');
    expect(formatUsd(-1_500_000_000n)).toBe('-1.50');
    expect(() => usd('1e3')).toThrow(/not a USD amount/);
    expect(() => usd('0.0000000001')).toThrow(/at most 9 decimals/);
    expect(() => usd('-1')).toThrow(TypeError);
  });

  it('sums 1,000,000 usage records to the exact expected total', async () => {
    const table = pricingTable({
      version: 'sum-test',
      models: {
        'gpt-4o': {
          provider: 'openai',
          prices: [
            { effectiveFrom: '2024-01-01', input: '2.50', cacheRead: '1.25', output: '10.00' },
          ],
        },
        'gpt-4o-mini': {
          provider: 'openai',
          prices: [
            { effectiveFrom: '2024-01-01', input: '0.15', cacheRead: '0.075', output: '0.60' },
          ],
        },
        haiku: {
          provider: 'anthropic',
          prices: [
            {
              effectiveFrom: '2024-01-01',
              input: '1',
              cacheRead: '0.10',
              cacheWrite: '1.25',
              output: '5',
            },
          ],
        },
        tiny: {
          provider: 'openai',
          prices: [{ effectiveFrom: '2024-01-01', input: '0.3333', output: '0.3333' }],
        },
      },
    });
    const at = Date.UTC(2026, 0, 1);
    // Hand-computed costs (nano-USD per token = USD per million × 1000):
    const patterns: [string, Usage, bigint][] = [
      [
        'gpt-4o',
        { ...ZERO_USAGE, inputTokens: 1234, outputTokens: 567 },
        1234n * 2500n + 567n * 10_000n,
      ],
      [
        'gpt-4o-mini',
        { ...ZERO_USAGE, inputTokens: 600, cacheReadTokens: 400, outputTokens: 300 },
        90_000n + 30_000n + 180_000n,
      ],
      [
        'haiku',
        {
          ...ZERO_USAGE,
          inputTokens: 7,
          cacheReadTokens: 3,
          cacheWriteTokens: 11,
          outputTokens: 13,
        },
        7000n + 300n + 13_750n + 65_000n,
      ],
      // 333.3 nano-USD rounds up once per record, to 334.
      ['tiny', { ...ZERO_USAGE, inputTokens: 1 }, 334n],
    ];
    const store = memoryStore({ maxRecords: 10 });
    let sum = 0n;
    let float = 0;
    const N = 1_000_000;
    for (let start = 0; start < N; start += 10_000) {
      const batch: UsageRecord[] = [];
      for (let i = start; i < start + 10_000; i++) {
        const [model, usage] = patterns[i % 4] as [string, Usage, bigint];
        const price = table.price(model, at);
        const cost = table.cost(usage, price);
        sum += cost;
        float += Number(cost) / 1e9;
        batch.push({
          id: String(i),
          at,
          day: '2026-01-01',
          tenant: 'acme',
          provider: price.provider,
          model,
          usage,
          totalTokens: 0,
          costNanoUsd: cost,
          priceVersion: price.version,
          estimated: false,
          outcome: 'ok',
        });
      }
      await store.record(batch);
    }
    const perCycle = patterns.reduce((s, p) => s + p[2], 0n);
    const expected = perCycle * BigInt(N / 4);
    expect(expected).toBe(2_285_346_000_000n);
    expect(sum).toBe(expected);
    const rows = await store.rollups({ fromDay: '2026-01-01', toDay: '2026-01-01' });
    expect(rows.reduce((s, r) => s + r.costNanoUsd, 0n)).toBe(expected);
    expect(rows.reduce((s, r) => s + r.calls, 0)).toBe(N);
    expect(formatUsd(sum)).toBe('2285.34');
    // The float sum a float ledger would keep is not the exact total.
    expect(float === 2285.346).toBe(false);
  }, 60_000);
});
