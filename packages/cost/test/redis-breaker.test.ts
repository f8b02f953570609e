import { StoreUnavailableError } from '@platform/core/stores';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { costControl, guard, memoryStore } from '../src/index.js';
import { redisBudgetStore } from '../src/stores/redis.js';
import { deleteKeys, ioredis, REDIS_URL, runPrefix } from './redis-support.js';

const prefix = runPrefix('breaker');
const admin = ioredis();
const proxy = new TcpProxy(Number(new URL(REDIS_URL).port || 6379));
let client: Redis;

beforeAll(async () => {
  await proxy.start();
  client = new Redis(proxy.urlFor(REDIS_URL), {
    maxRetriesPerRequest: 1,
    // commands fail at once while the connection is down instead of running late
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  client.on('error', () => undefined);
  await vi.waitFor(() => expect(client.status).toBe('ready'));
});
afterAll(async () => {
  client.disconnect();
  await proxy.stop();
  await deleteKeys(admin, prefix);
  admin.disconnect();
});

describe('Redis budget store behind a connection that is cut', () => {
  it('opens its circuit, refuses at once while open, and counts exactly once it is back', async () => {
    const store = redisBudgetStore({
      client,
      prefix,
      timeoutMs: 200,
      breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 200 },
    });
    const control = costControl({
      budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 100 }] } },
      store,
      ledger: memoryStore(),
      logger: { info() {}, warn() {} },
    });
    let made = 0;
    const call = () =>
      guard(
        control,
        { tenant: 'cut', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
        async () => {
          made++;
          return { usage: { prompt_tokens: 1, completion_tokens: 1 } };
        },
      );
    const used = async () => (await control.status({ tenant: 'cut' })).limits[0]?.used;

    for (let i = 0; i < 3; i++) await call();
    expect(await used()).toBe(3);
    expect(store.health().breaker).toBe('closed');

    proxy.cut(60_000);
    let failures = 0;
    while (store.health().breaker === 'closed' && failures < 20) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 503, code: 'budget_unavailable' });
      failures++;
    }
    expect(store.health().breaker).toBe('open');
    expect(failures).toBe(3);
    const refused = (await call().catch((e: unknown) => e)) as { cause?: unknown };
    expect(refused).toMatchObject({ code: 'budget_unavailable' });
    expect(refused.cause).toBeInstanceOf(StoreUnavailableError);
    expect(refused.cause).toMatchObject({ reason: 'circuit-open' });
    expect(made).toBe(3);

    proxy.cut(0);
    await vi.waitFor(() => expect(client.status).toBe('ready'), { timeout: 10_000 });
    await vi.waitFor(() => expect(store.health().breaker).toBe('half-open'), { timeout: 5000 });
    await call();
    expect(store.health().breaker).toBe('closed');
    expect(made).toBe(4);
    expect(await used()).toBe(4);
  });
});
