import { StoreUnavailableError } from '@platform/core/stores';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimiter } from '../src/limiter.js';
import { postgresStore } from '../src/stores/postgres.js';
import { expectFailModeKept, loadThroughOutage } from './outage.js';
import { DATABASE_URL, dropSchema, pool, runSchema } from './postgres-support.js';
import { TcpProxy } from './tcp-proxy.js';

const TIMEOUT = 100;
// A loaded CI machine may fire a timer late; a hang would take seconds.
const SLACK = 450;
const pgPort = Number(new URL(DATABASE_URL).port || 5432);
const schema = runSchema('failure');

let admin: pg.Pool;
beforeAll(async () => {
  admin = pool(undefined, { max: 1 });
  const store = postgresStore({ client: admin, schema, sweepIntervalMs: false });
  await store.migrate();
  store.shutdown();
});
afterAll(async () => {
  await dropSchema(admin, schema);
  await admin.end();
});

/**
 * A pool through a fresh proxy, the store over it, and a way to close both. The deadline is
 * fixed (`maxTimeoutMs` = `timeoutMs`): on a loaded machine slow answers before the outage
 * would otherwise stretch it past what these tests allow.
 */
async function throughProxy(options: { timeoutMs: number }) {
  const proxy = new TcpProxy(pgPort);
  await proxy.start();
  const client = pool(proxy.urlFor(DATABASE_URL), { connectionTimeoutMillis: 2000 });
  const store = postgresStore({
    client,
    schema,
    migrate: false,
    breaker: { failureThreshold: 3, cooldownMs: 200 },
    maxTimeoutMs: options.timeoutMs,
    ...options,
  });
  const close = async () => {
    store.shutdown();
    await proxy.stop();
    await client.end();
  };
  return { proxy, store, close };
}

/** Checks until the store answers (the pool's first connection may outlast a deadline). */
async function warm(limiter: { check(key: string): Promise<{ degraded: boolean }> }) {
  for (let i = 0; i < 50; i++) {
    if (!(await limiter.check('warm')).degraded) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the store never answered through the proxy');
}

const limiters = (store: ReturnType<typeof postgresStore>) => {
  const policies = { name: 'p', limit: 1_000_000, window: '1m' };
  return {
    open: rateLimiter({ name: 'open', policies, store, failMode: 'open', log: false }),
    closed: rateLimiter({ name: 'closed', policies, store, failMode: 'closed', log: false }),
  };
};

describe.each([
  ['stopped (connections closed, the port refused)', 'stop'],
  ['cut (connections destroyed, new ones reset)', 'cut'],
] as const)('PostgreSQL gone mid-load: %s', (_, how) => {
  it('answers every check within the timeout in the configured mode, and recovers', async () => {
    const { proxy, store, close } = await throughProxy({ timeoutMs: TIMEOUT });
    const outage =
      how === 'stop'
        ? { down: () => proxy.stop(), up: () => proxy.start() }
        : { down: () => proxy.cut(800), up: () => undefined };
    const seen = await loadThroughOutage(store, outage).finally(close);
    expectFailModeKept(seen, TIMEOUT + SLACK);
  }, 30_000);
});

describe('the connection cut while a step is in flight', () => {
  it('ends the check at once in its mode, with the cause, and the next check is answered', async () => {
    // a generous deadline: what ends these checks is the cut, not the deadline
    const { proxy, store, close } = await throughProxy({ timeoutMs: 5000 });
    const { open, closed } = limiters(store);
    try {
      await warm(open);
      proxy.delayMs = 200;
      const started = performance.now();
      const pending = [open.check('a'), closed.check('b')];
      await new Promise((resolve) => setTimeout(resolve, 50));
      proxy.cut();
      const [a, b] = await Promise.all(pending);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(a).toMatchObject({ allowed: true, degraded: true });
      expect(b).toMatchObject({ allowed: false, degraded: true });
      for (const r of [a, b]) {
        expect(r?.error).toBeInstanceOf(StoreUnavailableError);
        expect(r?.error).toMatchObject({ reason: 'error', cause: expect.any(Error) });
      }
      proxy.delayMs = 0;
      await warm(closed);
    } finally {
      await close();
    }
  }, 30_000);
});

describe('a PostgreSQL that stops answering', () => {
  it('ends every check on its deadline in its mode', async () => {
    const { proxy, store, close } = await throughProxy({ timeoutMs: TIMEOUT });
    const { open, closed } = limiters(store);
    try {
      await warm(open);
      proxy.delayMs = 60_000;
      const timed = async (limiter: typeof open, key: string) => {
        const started = performance.now();
        const result = await limiter.check(key);
        return { result, ms: performance.now() - started };
      };
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => timed(i % 2 ? closed : open, `k${i}`)),
      );
      answers.forEach(({ result, ms }, i) => {
        expect(result).toMatchObject({ allowed: i % 2 === 0, degraded: true });
        expect(result.error).toBeInstanceOf(StoreUnavailableError);
        expect((result.error as StoreUnavailableError).reason).toBe('timeout');
        expect(ms).toBeLessThan(TIMEOUT + SLACK);
      });
    } finally {
      await close();
    }
  }, 30_000);
});
