import { Redis } from 'ioredis';
import pg from 'pg';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { health, postgresCheck, redisCheck } from '../src/health/index.js';
import { serve, statusOf, tcpProxy } from './health-support.js';

// The shared PostgreSQL and Redis stay up: each test cuts a TCP proxy it started in front of them.
const closers: Array<() => unknown> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function readiness(url: string) {
  const res = await fetch(`${url}/ready`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
}

/** Polls until `ready` answers `status` (reconnects take a few hundred ms), returning the time it took. */
async function until(url: string, status: number, withinMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if ((await readiness(url)).status === status) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`ready never answered ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('readiness against real PostgreSQL and Redis behind a proxy', () => {
  it('flips to 503 when PostgreSQL is unreachable and back to 200 when it returns', async () => {
    const proxy = await tcpProxy(5432);
    const pool = new pg.Pool({
      host: '127.0.0.1',
      port: proxy.port,
      user: 'postgres',
      database: 'test',
      max: 2,
      connectionTimeoutMillis: 500,
    });
    closers.push(() => pool.end());
    const h = health({ cacheMs: 0, timeoutMs: 1_000, checks: [postgresCheck(pool)] });
    const server = await serve(h.handler, '/health');
    closers.push(server.close, h.close);

    expect(await readiness(server.url)).toEqual({
      status: 200,
      body: { status: 'healthy', checks: { postgres: 'healthy' } },
    });
    await proxy.cut();
    const down = await until(server.url, 503);
    const status = await statusOf(`${server.url}/status`);
    expect(status.checks[0]).toMatchObject({
      name: 'postgres',
      status: 'unhealthy',
      message: expect.any(String),
    });
    await proxy.restore();
    const up = await until(server.url, 200);
    const history = (await statusOf(`${server.url}/status`)).history;
    expect(history.map((t) => t.to)).toEqual(['healthy', 'unhealthy', 'healthy']);
    console.log(
      `postgres: 503 after ${down.toFixed(0)} ms, 200 again ${up.toFixed(0)} ms after restore`,
    );
  }, 30_000);

  it('flips to 503 when Redis (ioredis) is unreachable and back to 200 when it returns', async () => {
    const proxy = await tcpProxy(6379);
    const redis = new Redis({
      host: '127.0.0.1',
      port: proxy.port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    redis.on('error', () => {});
    closers.push(() => redis.disconnect());
    await new Promise((resolve) => redis.once('ready', resolve));
    const h = health({ cacheMs: 0, timeoutMs: 500, checks: [redisCheck(redis)] });
    const server = await serve(h.handler, '/health');
    closers.push(server.close, h.close);

    expect((await readiness(server.url)).status).toBe(200);
    await proxy.cut();
    const down = await until(server.url, 503);
    await proxy.restore();
    const up = await until(server.url, 200);
    const status = await statusOf(`${server.url}/status`);
    expect(status.checks[0]).toMatchObject({
      name: 'redis',
      status: 'healthy',
      details: { connection: 'ready' },
    });
    console.log(
      `redis: 503 after ${down.toFixed(0)} ms, 200 again ${up.toFixed(0)} ms after restore`,
    );
  }, 30_000);

  it('cuts a node-redis PING that waits on a lost connection at its timeout', async () => {
    const proxy = await tcpProxy(6379);
    const client = createClient({
      socket: { host: '127.0.0.1', port: proxy.port, reconnectStrategy: () => 100 },
    });
    client.on('error', () => {});
    await client.connect();
    closers.push(() => client.destroy());
    const h = health({ cacheMs: 0, timeoutMs: 300, checks: [redisCheck(client)] });
    const server = await serve(h.handler, '/health');
    closers.push(server.close, h.close);

    expect(await readiness(server.url)).toMatchObject({ status: 200 });
    await proxy.cut();
    await until(server.url, 503);
    const status = await statusOf(`${server.url}/status`);
    // the first PING waits in node-redis's offline queue: cut at 300 ms, and not sent again meanwhile
    expect(status.history[0]).toMatchObject({
      from: 'healthy',
      to: 'unhealthy',
      message: 'timed out after 300 ms',
    });
    expect(status.checks[0]?.status).toBe('unhealthy');
    await proxy.restore();
    await until(server.url, 200);
  }, 30_000);
});
