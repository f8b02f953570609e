import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the TCP proxy @platform/metrics' own outage tests cut (the shared services stay up)
import { tcpProxy } from '../../../packages/metrics/test/health-support.js';
import { type RunningApp, startApp, stopAll } from '../../test-support/harness.js';

const schema = `health_e2e_${randomUUID().slice(0, 8)}`;
let app: RunningApp;
let postgres: Awaited<ReturnType<typeof tcpProxy>>;
let redis: Awaited<ReturnType<typeof tcpProxy>>;

beforeAll(async () => {
  postgres = await tcpProxy(5432);
  redis = await tcpProxy(6379);
  app = await startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      NODE_ENV: 'production',
      DEMO_HEADER_AUTH: 'on',
      HOST: '127.0.0.1',
      PORT: '0',
      PLATFORM_AUDIT_DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres.port}/test`,
      PLATFORM_AUDIT_SCHEMA: schema,
      PLATFORM_AUDIT_LOG: 'off',
      PLATFORM_RATELIMIT_REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      PLATFORM_RATELIMIT_REDIS_PREFIX: `${schema}:`,
    },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });
});

afterAll(async () => {
  await stopAll();
  await Promise.allSettled([postgres.cut(), redis.cut()]);
  const client = new pg.Client({ host: '127.0.0.1', user: 'postgres', database: 'test' });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

async function ready(): Promise<{ code: number; status: string; checks: Record<string, string> }> {
  const res = await fetch(`${app.url}/health/ready`);
  return {
    code: res.status,
    ...((await res.json()) as { status: string; checks: Record<string, string> }),
  };
}

async function until(expected: { code: number; status: string }, withinMs = 20_000) {
  const started = Date.now();
  for (;;) {
    const now = await ready();
    if (now.code === expected.code && now.status === expected.status) return now;
    if (Date.now() - started > withinMs) {
      throw new Error(`ready never answered ${JSON.stringify(expected)}: ${JSON.stringify(now)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the Express example checks its real PostgreSQL and Redis', () => {
  it('is ready with both up', async () => {
    expect(await ready()).toEqual({
      code: 200,
      status: 'healthy',
      checks: { 'audit-database': 'healthy', 'ratelimit-redis': 'healthy' },
    });
  });

  it('answers 503 while PostgreSQL is cut off, and 200 once it is back', async () => {
    await postgres.cut();
    const down = await until({ code: 503, status: 'unhealthy' });
    expect(down.checks['audit-database']).toBe('unhealthy');
    await postgres.restore();
    await until({ code: 200, status: 'healthy' });
  }, 45_000);

  it('stays ready but degraded while Redis is cut off (the limiter fails open)', async () => {
    await redis.cut();
    const degraded = await until({ code: 200, status: 'degraded' });
    expect(degraded.checks['ratelimit-redis']).toBe('unhealthy');
    await redis.restore();
    await until({ code: 200, status: 'healthy' });
  }, 45_000);
});
