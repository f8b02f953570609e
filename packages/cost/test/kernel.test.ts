import { createServer as createHttpServer, type Server } from 'node:http';
import { nodeRequest, problemAnswer, shutdown, writeAnswer } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costApiHandler, costControl, costHandlers, guard, memoryStore } from '../src/index.js';

const budgets = {
  default: { limits: [{ metric: 'calls' as const, period: 'day' as const, max: 10 }] },
};

describe('lifecycle', () => {
  it("is closed by core's shutdown() unless shutdown: false; close() is idempotent", async () => {
    const ledger = memoryStore();
    const managed = costControl({ budgets, ledger });
    const own = costControl({ budgets, ledger, shutdown: false });
    for (const control of [managed, own]) {
      await guard(
        control,
        { tenant: 'life', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
        async () => ({}),
      );
    }
    const report = await shutdown({ timeoutMs: 5_000 });
    expect(report.completed.filter((name) => name === 'cost')).toHaveLength(1);
    expect(report.failed).toEqual([]);
    await managed.close();
    await own.flush();
    await own.close();
    await own.close();
    expect(await ledger.records({ tenant: 'life' })).toHaveLength(2);
  });
});

describe('costApiHandler on a plain node:http server', () => {
  const control = costControl({ budgets, shutdown: false });
  const api = costApiHandler(costHandlers({ control, tenantOf: () => 'plain' }));
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createHttpServer(async (req, res) => {
      const answer = await api(nodeRequest(req));
      await writeAnswer(res, answer ?? problemAnswer(404, { title: 'Not Found' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await control.close();
  });

  it('answers GET <prefix>/<name> and leaves everything else to the next handler', async () => {
    const budget = await fetch(`${base}/api/cost/budget`);
    expect(budget.status).toBe(200);
    expect(budget.headers.get('etag')).toMatch(/^"/);
    expect(await budget.json()).toMatchObject({ tenant: 'plain', limits: [{ metric: 'calls' }] });
    const csv = await fetch(`${base}/api/cost/report?format=csv&from=2026-01-01&to=2026-01-02`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await fetch(`${base}/api/cost/nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/cost/budget`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/elsewhere/budget`)).status).toBe(404);
  });
});
