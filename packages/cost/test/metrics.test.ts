import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costControl, memoryStore, withCostControl } from '../src/index.js';
import { type FakeAi, fakeOpenAiClient, startFakeAi } from './fake-ai.js';

const metrics = recordingMetrics();
let ai: FakeAi;
beforeAll(async () => {
  ai = await startFakeAi({ maxLatencyMs: 5 });
});
afterAll(async () => {
  metrics.restore();
  await ai.close();
});

const messages = [{ role: 'user', content: 'Summarize the quarterly report.' }];

describe('cost metrics', () => {
  it('records spend, tokens, utilisation and alerts of calls through a real (fake) AI server', async () => {
    const store = memoryStore();
    const control = costControl({
      store,
      budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 4 }] } },
      alerts: { thresholds: [50, 100] },
    });
    const client = withCostControl(fakeOpenAiClient(ai.url), control, { tenant: 'm-acme' });
    for (let i = 0; i < 2; i++) {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 50 });
    }
    await control.flush();
    const records = await store.records({ tenant: 'm-acme' });
    expect(records).toHaveLength(2);
    const labels = { tenant: 'm-acme', model: 'gpt-4o-mini' };
    const nano = records.reduce((sum, r) => sum + Number(r.costNanoUsd), 0);
    expect(metrics.value('platform_cost_spend_usd_total', labels)).toBeCloseTo(nano / 1e9, 12);
    expect(nano).toBeGreaterThan(0);
    const input = records.reduce((s, r) => s + r.usage.inputTokens + r.usage.cacheWriteTokens, 0);
    const output = records.reduce((s, r) => s + r.usage.outputTokens + r.usage.reasoningTokens, 0);
    expect(metrics.value('platform_cost_tokens_total', { ...labels, type: 'input' })).toBe(input);
    expect(metrics.value('platform_cost_tokens_total', { ...labels, type: 'output' })).toBe(output);
    expect(input).toBeGreaterThan(0);
    expect(
      metrics.gaugeValue('platform_cost_budget_utilization_ratio', {
        tenant: 'm-acme',
        budget: 'calls_day',
      }),
    ).toBe(0.5);
    expect(metrics.value('platform_cost_alerts_total', { tenant: 'm-acme', threshold: '50' })).toBe(
      1,
    );
    expect(metrics.value('platform_cost_alerts_total', { threshold: '100' })).toBe(0);
    await control.close();
  });

  it('counts a reservation given back when the call is not made', async () => {
    const control = costControl({
      budgets: { default: { limits: [{ metric: 'tokens', period: 'day', max: 100_000 }] } },
    });
    const admission = await control.admit({
      tenant: 'm-release',
      model: 'gpt-4o-mini',
      inputTokens: 10,
    });
    expect(metrics.value('platform_cost_reservations_refunded_total')).toBe(0);
    await admission.release();
    expect(metrics.value('platform_cost_reservations_refunded_total')).toBe(1);
    await control.close();
  });
});
