import { requestContext } from '@platform/core/express';
import { recordingMetrics } from '@platform/core/testkit';
import express from 'express';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { rateLimit } from '../src/express.js';
import { rateLimiter } from '../src/index.js';
import { memoryStore } from '../src/stores/memory.js';
import { redisStore } from '../src/stores/redis.js';
import { listening } from './http-support.js';
import { deleteKeys, ioredis, REDIS_URL, runPrefix } from './redis-support.js';
import { TcpProxy } from './tcp-proxy.js';

const DECISIONS = 'platform_ratelimit_decisions_total';
const STORE = 'platform_ratelimit_store_duration_seconds';
const metrics = recordingMetrics();
afterEach(() => metrics.clear());
afterAll(() => metrics.restore());

describe('rate-limit metrics', () => {
  it('counts allowed and refused decisions per policy and times the memory store, over Express', async () => {
    const limiter = rateLimiter({
      name: 'm-api',
      policies: [
        { name: 'per-ip', limit: 2, window: '1m', by: 'ip' },
        { name: 'global', limit: 100, window: '1m', by: () => 'all' },
      ],
      store: memoryStore(),
      log: false,
    });
    const app = express();
    app.use(requestContext());
    app.get('/items', rateLimit(limiter), (_req, res) => {
      res.json({ ok: true });
    });
    const server = app.listen(0, '127.0.0.1');
    const url = await listening(server);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/items`)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      server.close();
    }
    expect(
      metrics.value(DECISIONS, { limiter: 'm-api', policy: 'per-ip', outcome: 'allowed' }),
    ).toBe(2);
    expect(
      metrics.value(DECISIONS, { limiter: 'm-api', policy: 'per-ip', outcome: 'refused' }),
    ).toBe(1);
    expect(
      metrics.value(DECISIONS, { limiter: 'm-api', policy: 'global', outcome: 'allowed' }),
    ).toBe(3);
    const timings = metrics.samples(STORE, { limiter: 'm-api', store: 'memory' });
    expect(timings).toHaveLength(3);
    for (const t of timings) expect(t.value).toBeGreaterThanOrEqual(0);
  });

  it('keeps checkSync synchronous while recording', () => {
    const limiter = rateLimiter({
      name: 'm-sync',
      policies: { name: 'p', limit: 1, window: '1m' },
      log: false,
    });
    expect(limiter.checkSync('k').allowed).toBe(true);
    expect(limiter.checkSync('k').allowed).toBe(false);
    expect(metrics.value(DECISIONS, { limiter: 'm-sync', outcome: 'allowed' })).toBe(1);
    expect(metrics.value(DECISIONS, { limiter: 'm-sync', outcome: 'refused' })).toBe(1);
  });

  it('counts store_failure when Redis is unreachable, and times the real Redis store', async () => {
    const proxy = new TcpProxy(Number(new URL(REDIS_URL).port || 6379));
    await proxy.start();
    const client = ioredis(`redis://127.0.0.1:${proxy.port}`, {
      maxRetriesPerRequest: null,
      retryStrategy: () => 50,
    });
    const prefix = runPrefix('metrics');
    const limiter = rateLimiter({
      name: 'm-redis',
      policies: { name: 'p', limit: 10, window: '1m' },
      store: redisStore({ client, prefix, timeoutMs: 200 }),
      failMode: 'open',
      log: false,
    });
    try {
      expect((await limiter.check('k')).degraded).toBe(false);
      await proxy.stop();
      expect((await limiter.check('k')).degraded).toBe(true);
    } finally {
      client.disconnect();
      await proxy.stop();
      const admin = ioredis();
      await deleteKeys(admin, prefix);
      admin.disconnect();
    }
    expect(metrics.value(DECISIONS, { limiter: 'm-redis', outcome: 'allowed' })).toBe(1);
    expect(
      metrics.value(DECISIONS, { limiter: 'm-redis', policy: 'p', outcome: 'store_failure' }),
    ).toBe(1);
    expect(metrics.samples(STORE, { limiter: 'm-redis', store: 'redis' })).toHaveLength(2);
  }, 20_000);
});
