import { createServer } from 'node:net';
import type { ErrorInfo } from '@platform/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../test/support/memory-logger.js';
import { costControl, guard, memoryStore } from '../src/index.js';
import { redisBudgetStore } from '../src/stores/redis.js';

let port: number;
let client: Redis;

beforeAll(async () => {
  // A port that was free a moment ago: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
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

const budgets = {
  default: { limits: [{ metric: 'calls' as const, period: 'day' as const, max: 10 }] },
};
const call = (control: ReturnType<typeof costControl>) =>
  guard(
    control,
    { tenant: 'down', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
    async () => ({
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    }),
  );

describe('Redis unavailable', () => {
  it('fails closed by default: 503 budget_unavailable within the store timeout', async () => {
    const control = costControl({
      budgets,
      store: redisBudgetStore({ client, timeoutMs: 100 }),
      ledger: memoryStore(),
    });
    const started = performance.now();
    const err = await call(control).catch((e) => e);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(err).toMatchObject({ status: 503, code: 'budget_unavailable', retryable: true });
  });

  it('lets calls through, recorded, when configured to fail open', async () => {
    const ledger = memoryStore();
    const warnings: unknown[] = [];
    const control = costControl({
      budgets,
      store: redisBudgetStore({ client, timeoutMs: 100 }),
      ledger,
      onStoreError: 'allow',
      logger: { info() {}, warn: (o) => warnings.push(o) },
    });
    await call(control);
    expect(await ledger.records({ tenant: 'down' })).toHaveLength(1);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('Redis unavailable: diagnostics', () => {
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

describe('token and API-key limits', () => {
  it('reserve input + max output, settle to the actual tokens', async () => {
    const control = costControl({
      budgets: {
        default: { limits: [{ metric: 'tokens', period: 'day', max: 1000, scope: 'apiKey' }] },
      },
    });
    const run = (tokens: number) =>
      guard(
        control,
        {
          tenant: 'k',
          apiKey: 'key-1',
          model: 'gpt-4o-mini',
          inputTokens: 100,
          maxOutputTokens: 500,
        },
        async () => ({
          usage: { prompt_tokens: 100, completion_tokens: tokens - 100 },
        }),
      );
    await run(300);
    expect((await control.status({ tenant: 'k', apiKey: 'key-1' })).limits[0]).toMatchObject({
      used: 300,
      scope: 'apiKey',
      subject: 'key-1',
    });
    await run(300);
    // 600 used; a third call would reserve 600 more.
    await expect(run(300)).rejects.toMatchObject({ code: 'quota_exceeded' });
    // Another key has its own limit; a call without a key is not limited by key limits.
    await guard(
      control,
      {
        tenant: 'k',
        apiKey: 'key-2',
        model: 'gpt-4o-mini',
        inputTokens: 100,
        maxOutputTokens: 500,
      },
      async () => ({}),
    );
    await guard(
      control,
      { tenant: 'k', model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 5000 },
      async () => ({}),
    );
  });
});
