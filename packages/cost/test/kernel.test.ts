import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import {
  type ErrorInfo,
  nodeRequest,
  type PlatformLogger,
  problemAnswer,
  shutdown,
  writeAnswer,
} from '@platform/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costApiHandler, costControl, costHandlers, guard, memoryStore } from '../src/index.js';
import { redisBudgetStore } from '../src/stores/redis.js';

function memoryLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
  const at = (level: string) => (fields: object, message?: string) =>
    void lines.push({ level, fields: fields as Record<string, unknown>, message });
  const logger: PlatformLogger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
  };
  return { logger, lines };
}

const budgets = {
  default: { limits: [{ metric: 'calls' as const, period: 'day' as const, max: 10 }] },
};

describe('diagnostics', () => {
  let client: Redis;
  beforeAll(async () => {
    // a port that was free a moment ago: nothing listens there
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    client = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 200,
    });
    client.on('error', () => {});
  });
  afterAll(() => client.disconnect());

  it('a failing budget store goes to the logger at error level and to onError, coded', async () => {
    const { logger, lines } = memoryLogger();
    const errors: [unknown, ErrorInfo][] = [];
    const control = costControl({
      budgets,
      store: redisBudgetStore({ client, timeoutMs: 100 }),
      ledger: memoryStore(),
      logger,
      onError: (error, info) => void errors.push([error, info]),
      shutdown: false,
    });
    const refused = await guard(
      control,
      { tenant: 'down', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
      async () => ({}),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 503, code: 'budget_unavailable' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[0]).toBeInstanceOf(Error);
    expect(errors[0]?.[1]).toEqual({
      component: '@platform/cost',
      code: 'COST_STORE_FAILED',
      tenant: 'down',
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'cost budget store failed',
        fields: expect.objectContaining({ component: '@platform/cost', code: 'COST_STORE_FAILED' }),
      }),
    ]);
    await control.close();
  });
});

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
