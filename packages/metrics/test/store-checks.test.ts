import { createServer, type Server, type Socket } from 'node:net';
import { postgresStore as auditPostgresStore } from '@platform/audit/postgres';
import { StoreUnavailableError } from '@platform/core/stores';
import { postgresLedger } from '@platform/cost/postgres';
import { redisBudgetStore } from '@platform/cost/redis';
import { postgresStore as flagsPostgresStore } from '@platform/flags/postgres';
import { postgresStore as rateLimitPostgresStore } from '@platform/ratelimit/postgres';
import { redisStore as rateLimitRedisStore } from '@platform/ratelimit/redis';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFromStore } from '../src/health/index.js';

// Each built-in store's ping() through checkFromStore, against the shared PostgreSQL and Redis
// (healthy), a closed port (refused), and a server that accepts but never answers (hangs).
const closers: Array<() => unknown> = [];
// in creation order: the silent servers drop their sockets before the pools that wait on them end
afterAll(async () => {
  for (const close of closers) await close();
});

const signal = new AbortController().signal;
const schema = `ping_${process.pid}_${Date.now().toString(36)}`;

function pool(port: number) {
  const p = new pg.Pool({ host: '127.0.0.1', port, user: 'postgres', database: 'test', max: 2 });
  p.on('error', () => undefined);
  closers.push(() => p.end());
  return p;
}

function redis(port: number) {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: false,
    maxRetriesPerRequest: null,
  });
  client.on('error', () => undefined);
  closers.push(() => client.disconnect());
  return client;
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  );
  return (server.address() as { port: number }).port;
}

/** The check's promise settles; answers the rejection and how long it took. */
async function failure(run: () => Promise<void>) {
  const started = performance.now();
  const error = await run().then(
    () => undefined,
    (err: unknown) => err,
  );
  return { error, ms: performance.now() - started };
}

const postgresStores = {
  'ratelimit postgresStore': (client: pg.Pool) =>
    rateLimitPostgresStore({
      client,
      schema,
      migrate: false,
      sweepIntervalMs: false,
      timeoutMs: 300,
      maxTimeoutMs: 300,
    }),
  'audit postgresStore': (client: pg.Pool) =>
    auditPostgresStore({ client, schema, onError: () => undefined }),
  'flags postgresStore': (client: pg.Pool) =>
    flagsPostgresStore({ client, schema, table: 'ping_flags', logger: false }),
  'cost postgresLedger': (client: pg.Pool) =>
    postgresLedger({ client, schema, migrate: false, logger: false }),
};

const redisStores = {
  'ratelimit redisStore': (client: Redis) =>
    rateLimitRedisStore({ client, prefix: `${schema}:rl:`, timeoutMs: 300, maxTimeoutMs: 300 }),
  'cost redisBudgetStore': (client: Redis) =>
    redisBudgetStore({ client, prefix: `${schema}:cost:`, timeoutMs: 300, maxTimeoutMs: 300 }),
};

describe('built-in PostgreSQL stores: ping() for checkFromStore', () => {
  for (const [name, make] of Object.entries(postgresStores)) {
    it(`${name}: resolves against a live PostgreSQL`, async () => {
      const check = checkFromStore(name, make(pool(5432)));
      await expect(check.check(signal)).resolves.toBeUndefined();
    });

    it(`${name}: rejects (never throws synchronously) when the port is closed`, async () => {
      const store = make(pool(1));
      let pending: Promise<void> | undefined;
      expect(() => {
        pending = store.ping();
      }).not.toThrow();
      const { error, ms } = await failure(() => pending as Promise<void>);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
      expect(ms).toBeLessThan(2_000);
    });

    it(`${name}: rejects within its deadline when PostgreSQL never answers`, async () => {
      const store = make(pool(await silentServer()));
      const { error, ms } = await failure(async () => {
        await checkFromStore(name, store).check(signal);
      });
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).reason).toBe('timeout');
      // 300 ms for the rate-limit store, the fixed 2 s for the others
      expect(ms).toBeLessThan(2_600);
    });
  }
});

describe('built-in Redis stores: ping() for checkFromStore', () => {
  for (const [name, make] of Object.entries(redisStores)) {
    it(`${name}: resolves against a live Redis`, async () => {
      const check = checkFromStore(name, make(redis(6379)));
      await expect(check.check(signal)).resolves.toBeUndefined();
    });

    it(`${name}: rejects within its 300 ms deadline when the port is closed`, async () => {
      // ioredis queues commands while it reconnects: without the deadline PING would wait forever
      const store = make(redis(1));
      const { error, ms } = await failure(() => store.ping());
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(1_000);
    });

    it(`${name}: rejects within its deadline when Redis never answers`, async () => {
      const store = make(redis(await silentServer()));
      const { error, ms } = await failure(() => store.ping());
      expect((error as StoreUnavailableError).reason).toBe('timeout');
      expect(ms).toBeLessThan(1_000);
    });
  }
});
