import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWithContext } from '@platform/core';
import { QuotaExceededError } from '@platform/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CostAlert,
  costControl,
  guard,
  memoryStore,
  pricingTable,
  withCostControl,
} from '../src/index.js';
import { type FakeAi, fakeAnthropicClient, fakeOpenAiClient, startFakeAi } from './fake-ai.js';

let ai: FakeAi;
beforeAll(async () => {
  ai = await startFakeAi({ maxLatencyMs: 5 });
});
afterAll(() => ai.close());

const messages = [
  { role: 'user', content: 'Summarize the quarterly report in three bullet points.' },
];

function clockAt(iso: string) {
  let now = Date.parse(iso);
  const clock = () => now;
  clock.set = (s: string) => {
    now = Date.parse(s);
  };
  return clock;
}

describe('costControl', () => {
  it('refuses with a 429 quota_exceeded naming the limit and its reset time', async () => {
    const clock = clockAt('2026-05-10T15:00:00Z');
    const control = costControl({
      clock,
      budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 2 }] } },
    });
    const client = withCostControl(fakeOpenAiClient(ai.url), control, { tenant: 'acme' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 50 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 50 });
    const err = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages, max_tokens: 50 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err).toMatchObject({
      status: 429,
      code: 'quota_exceeded',
      retryAfter: 9 * 3600,
      details: {
        resetAt: '2026-05-11T00:00:00.000Z',
        limit: { metric: 'calls', period: 'day', max: 2, used: 2 },
      },
    });
    expect(err.message).toContain('team AI calls per day');
    const status = await control.status({ tenant: 'acme' });
    expect(status.limits[0]).toMatchObject({
      used: 2,
      remaining: 0,
      resetAt: '2026-05-11T00:00:00.000Z',
    });
  });

  it('settles actual usage, records it with the request id and the price version', async () => {
    const store = memoryStore();
    const control = costControl({
      store,
      budgets: { default: { limits: [{ metric: 'money', period: 'month', max: '1.00' }] } },
    });
    const client = withCostControl(fakeAnthropicClient(ai.url), control);
    const ctx = {
      requestId: 'req-abc',
      method: 'POST',
      path: '/x',
      startTime: Date.now(),
      tenantId: 'globex',
      actor: { type: 'user' as const, id: 'u7', roles: [] },
    };
    const reply = await runWithContext(ctx, () =>
      client.messages.create({ model: 'claude-haiku-4-5', messages, max_tokens: 100 }),
    );
    const [rec] = await store.records({ requestId: 'req-abc' });
    expect(rec).toMatchObject({
      tenant: 'globex',
      user: 'u7',
      model: 'claude-haiku-4-5',
      provider: 'anthropic',
      estimated: false,
    });
    expect(rec?.priceVersion).toBe('2025-11-01:claude-haiku-4-5@2025-10-01');
    const usage = (reply as { usage: Record<string, number> }).usage;
    expect(rec?.usage.inputTokens).toBe(usage.input_tokens);
    const expected =
      BigInt(usage.input_tokens as number) * 1000n +
      BigInt(usage.cache_read_input_tokens as number) * 100n +
      BigInt(usage.output_tokens as number) * 5000n;
    expect(rec?.costNanoUsd).toBe(expected);
    const status = await control.status({ tenant: 'globex' });
    expect(status.limits[0]?.used).toBe(Number(expected));
  });

  it('refuses an unknown model before calling the provider', async () => {
    const control = costControl();
    let called = false;
    await expect(
      guard(control, { tenant: 'a', model: 'gpt-unknown' }, async () => {
        called = true;
        return {};
      }),
    ).rejects.toMatchObject({ code: 'unknown_model', status: 400 });
    expect(called).toBe(false);
  });

  it('downgrades to a cheaper model when the policy says so', async () => {
    const control = costControl({
      budgets: { default: { limits: [{ metric: 'money', period: 'day', max: '0.01' }] } },
      onExceeded: { downgrade: { 'gpt-4o': 'gpt-4o-mini' } },
    });
    const seen: string[] = [];
    const call = () =>
      guard(
        control,
        { tenant: 't', model: 'gpt-4o', inputTokens: 100, maxOutputTokens: 500 },
        async (model) => {
          seen.push(model);
          return { usage: { prompt_tokens: 100, completion_tokens: 500 } };
        },
      );
    // gpt-4o reserves 100×2500 + 500×10000 = 5.25 m nano: one fits in 10 m, the second does not.
    await call();
    await call();
    expect(seen).toEqual(['gpt-4o', 'gpt-4o-mini']);
  });

  it('per-user limits apply next to tenant limits; soft limits never refuse', async () => {
    const alerts: CostAlert[] = [];
    const control = costControl({
      budgets: {
        default: {
          limits: [
            { metric: 'calls', period: 'day', max: 1, scope: 'user' },
            { metric: 'calls', period: 'day', max: 2, soft: true },
          ],
        },
      },
      alerts: { onAlert: (a) => void alerts.push(a) },
    });
    const call = (user: string) =>
      guard(
        control,
        { tenant: 't', user, model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
        async () => ({}),
      );
    await call('a');
    await expect(call('a')).rejects.toBeInstanceOf(QuotaExceededError);
    await call('b');
    await call('c');
    await control.flush();
    const soft = alerts.filter((a) => a.scope === 'tenant');
    expect(soft.map((a) => [a.threshold, a.used, a.soft])).toEqual([
      [50, 1, true],
      [80, 2, true],
      [100, 2, true],
    ]);
  });
});

describe('alerts', () => {
  it('fire exactly once per threshold and period under concurrency, to callbacks and a signed webhook', async () => {
    const received: { body: string; sig: string }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ body, sig: String(req.headers['x-cost-signature']) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const secret = 'a-webhook-secret-of-some-length';
    const alerts: CostAlert[] = [];
    const logged: unknown[] = [];
    const clock = clockAt('2026-07-01T10:00:00Z');
    const control = costControl({
      clock,
      budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 40 }] } },
      alerts: {
        onAlert: (a) => void alerts.push(a),
        webhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, secret },
      },
      logger: { info: (o) => logged.push(o), warn: (o) => logged.push(o) },
    });
    const call = () =>
      guard(
        control,
        { tenant: 'busy', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
        async () => ({}),
      );
    const results = await Promise.allSettled(Array.from({ length: 60 }, call));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
    await control.flush();
    expect(alerts.map((a) => a.threshold).sort((x, y) => x - y)).toEqual([50, 80, 100]);
    expect(received).toHaveLength(3);
    for (const r of received) {
      const [t, v1] = r.sig.split(',');
      const ts = t?.slice(2);
      expect(v1).toBe(`v1=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`);
      expect(JSON.parse(r.body)).toMatchObject({
        type: 'cost.alert',
        data: { tenant: 'busy', metric: 'calls', periodKey: '2026-07-01' },
      });
    }
    expect(logged.filter((l) => (l as { alert?: unknown }).alert)).toHaveLength(3);
    // The next day is a new period: the thresholds fire again.
    clock.set('2026-07-02T10:00:00Z');
    await Promise.allSettled(Array.from({ length: 25 }, call));
    await control.flush();
    expect(alerts.filter((a) => a.periodKey === '2026-07-02').map((a) => a.threshold)).toEqual([
      50,
    ]);
    await new Promise<void>((r) => hook.close(() => r()));
    await control.close();
  });
});

describe('periods and prices over time', () => {
  it('rolls the day over at local midnight in the tenant zone', async () => {
    const clock = clockAt('2026-11-03T04:59:00Z'); // 23:59 in New York (EST, UTC-5)
    const control = costControl({
      clock,
      budgets: {
        tenants: {
          nyc: {
            timeZone: 'America/New_York',
            limits: [{ metric: 'calls', period: 'day', max: 1 }],
          },
        },
      },
    });
    const call = () =>
      guard(
        control,
        { tenant: 'nyc', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
        async () => ({}),
      );
    await call();
    const err = await call().catch((e) => e);
    expect(err.details.resetAt).toBe('2026-11-03T05:00:00.000Z');
    clock.set('2026-11-03T05:00:00Z'); // local midnight
    await call();
    const status = await control.status({ tenant: 'nyc' });
    expect(status.limits[0]).toMatchObject({
      periodKey: '2026-11-03',
      used: 1,
      resetAt: '2026-11-04T05:00:00.000Z',
    });
    // A UTC tenant is still on the previous UTC day until 00:00Z.
    expect(status.timeZone).toBe('America/New_York');
  });

  it('a price change at its effective date mid-period bills each call at its own price', async () => {
    const pricing = pricingTable({
      version: 'p2',
      models: {
        m: {
          provider: 'openai',
          prices: [
            { effectiveFrom: '2026-06-01', input: '1.00', output: '2.00' },
            { effectiveFrom: '2026-06-15', input: '3.00', output: '6.00' },
          ],
        },
      },
    });
    const clock = clockAt('2026-06-14T23:00:00Z');
    const store = memoryStore();
    const control = costControl({
      clock,
      pricing,
      store,
      budgets: { default: { limits: [{ metric: 'money', period: 'month', max: '10.00' }] } },
    });
    const call = () =>
      guard(
        control,
        { tenant: 'p', model: 'm', inputTokens: 1000, maxOutputTokens: 1000 },
        async () => ({ usage: { prompt_tokens: 1000, completion_tokens: 1000 } }),
      );
    await call();
    clock.set('2026-06-15T01:00:00Z');
    await call();
    const recs = await store.records({ tenant: 'p' });
    expect(recs.map((r) => [r.priceVersion, r.costNanoUsd])).toEqual([
      ['p2:m@2026-06-15', 9_000_000n],
      ['p2:m@2026-06-01', 3_000_000n],
    ]);
    const status = await control.status({ tenant: 'p' });
    expect(status.limits[0]?.used).toBe(12_000_000);
  });
});

describe('streams', () => {
  async function* chunks(cut: boolean) {
    yield { choices: [{ delta: { content: 'x'.repeat(40) } }] };
    if (cut) throw new Error('socket hang up');
    yield { choices: [], usage: { prompt_tokens: 7, completion_tokens: 10 } };
  }

  it('settles the final-chunk usage, or a flagged estimate when the stream is cut', async () => {
    const store = memoryStore();
    const control = costControl({ store });
    const client = withCostControl(
      {
        chat: {
          completions: {
            create: async (p: { stream_options?: unknown; cut: boolean }) => {
              expect(p.stream_options).toEqual({ include_usage: true });
              return chunks(p.cut);
            },
          },
        },
      },
      control,
      { tenant: 's' },
    );
    const full = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      cut: false,
      messages,
    } as never);
    for await (const _ of full as AsyncIterable<unknown>) {
      // drain
    }
    const cut = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      cut: true,
      messages,
    } as never);
    await expect(async () => {
      for await (const _ of cut as AsyncIterable<unknown>) {
        // drain
      }
    }).rejects.toThrow('socket hang up');
    const [cutRec, fullRec] = await store.records({ tenant: 's' });
    expect(fullRec).toMatchObject({
      estimated: false,
      outcome: 'ok',
      usage: { inputTokens: 7, outputTokens: 10 },
    });
    expect(cutRec).toMatchObject({ estimated: true, outcome: 'cut', usage: { outputTokens: 10 } });
    expect(cutRec?.usage.inputTokens).toBeGreaterThan(messages[0]?.content.length ?? 0);
  });
});
