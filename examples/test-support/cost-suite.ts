import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAiServer, startFakeAi } from './fake-ai.js';
import { type RunningApp, stopAll } from './harness.js';

/**
 * The @platform/cost e2e suite shared by the three examples: POST /api/ai/chat goes through
 * the cost-controlled client to a fake provider on loopback; the usage record carries the
 * request id; the tenant's small daily call budget ends in a 429 quota_exceeded that never
 * reaches the provider.
 */
export function describeCost(start: (env: Record<string, string>) => Promise<RunningApp>): void {
  let ai: FakeAiServer;
  let app: RunningApp;
  const tenant = `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    ai = await startFakeAi();
    app = await start({
      FAKE_AI_URL: ai.url,
      PLATFORM_COST_CALLS_PER_DAY: '3',
      PLATFORM_COST_USD_PER_MONTH: '1.00',
    });
  }, 120_000);

  afterAll(async () => {
    await stopAll();
    await ai?.close();
  });

  const chat = (body: unknown, who = tenant) =>
    fetch(`${app.url}/api/ai/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': who, 'x-user-id': 'alice' },
      body: JSON.stringify(body),
    });
  const get = (path: string, who = tenant) =>
    fetch(`${app.url}${path}`, { headers: { 'x-tenant-id': who, 'x-user-id': 'alice' } });

  describe('cost control', { timeout: 30_000 }, () => {
    it('records the usage of an AI call with the request id and its price version', async () => {
      const res = await chat({ prompt: 'Write a haiku about budgets.', maxTokens: 64 });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        requestId: string;
        usage: { prompt_tokens: number; completion_tokens: number };
      };
      const requestId = res.headers.get('x-request-id');
      expect(body.requestId).toBe(requestId);
      expect(ai.calls()).toBe(1);
      const usage = (await (await get(`/api/ai/usage?requestId=${requestId}`)).json()) as {
        records: Record<string, unknown>[];
      };
      expect(usage.records).toHaveLength(1);
      const rec = usage.records[0];
      expect(rec).toMatchObject({
        requestId,
        tenant,
        user: 'alice',
        model: 'gpt-4o-mini',
        provider: 'openai',
        estimated: false,
        outcome: 'ok',
      });
      expect(rec?.priceVersion).toMatch(/:gpt-4o-mini@/);
      // gpt-4o-mini list price: $0.15 / $0.60 per million tokens = 150 / 600 nano-USD per token.
      expect(rec?.costNanoUsd).toBe(
        String(body.usage.prompt_tokens * 150 + body.usage.completion_tokens * 600),
      );
    });

    it('reports the budget status of the tenant', async () => {
      const res = await get('/api/cost/budget');
      expect(res.status).toBe(200);
      const status = (await res.json()) as { limits: Record<string, unknown>[] };
      expect(status).toMatchObject({ tenant, timeZone: 'UTC' });
      expect(status.limits[0]).toMatchObject({
        metric: 'calls',
        period: 'day',
        max: 3,
        used: 1,
        remaining: 2,
      });
      expect(status.limits[1]).toMatchObject({
        metric: 'money',
        period: 'month',
        maxUsd: '1.000000',
      });
      expect(status.limits[1]?.used).toBeGreaterThan(0);
    });

    it('answers 429 quota_exceeded once the daily calls are used, without calling the provider', async () => {
      expect((await chat({ prompt: 'two' })).status).toBe(200);
      expect((await chat({ prompt: 'three' })).status).toBe(200);
      const before = ai.calls();
      const res = await chat({ prompt: 'four' });
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({
        status: 429,
        code: 'quota_exceeded',
        requestId: res.headers.get('x-request-id'),
      });
      expect(problem.detail).toMatch(
        /AI calls per day .* It resets at \d{4}-\d{2}-\d{2}T00:00:00\.000Z/,
      );
      expect(ai.calls()).toBe(before);
      // Another tenant still has its own budget.
      expect((await chat({ prompt: 'hello' }, `${tenant}-other`)).status).toBe(200);
    });

    it('refuses an unknown model with 400 before calling the provider', async () => {
      const before = ai.calls();
      const res = await chat({ prompt: 'hi', model: 'gpt-imaginary' }, `${tenant}-unknown`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'unknown_model' });
      expect(ai.calls()).toBe(before);
    });

    it('exports the tenant report as CSV and PDF', async () => {
      const csv = await get('/api/cost/report?format=csv');
      expect(csv.status).toBe(200);
      expect((await csv.text()).split('\r\n').at(-2)).toMatch(/^TOTAL,,,,3,/);
      const pdf = await get('/api/cost/report?format=pdf');
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });
  });
}
