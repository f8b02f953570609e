import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../src/limiter.js';
import { redisStore } from '../src/stores/redis.js';
import { expectFailModeKept, loadThroughOutage } from './outage.js';
import { cleanedPrefixes, ioredis, nodeRedis, REDIS_URL } from './redis-support.js';
import { TcpProxy } from './tcp-proxy.js';

const TIMEOUT = 50;
// A loaded CI machine may fire a 50 ms timer late; a hang would take seconds.
const SLACK = 450;
const redisPort = Number(new URL(REDIS_URL).port || 6379);

const { admin, newPrefix } = cleanedPrefixes();

async function clientFor(kind: 'ioredis' | 'node-redis', port: number) {
  const url = `redis://127.0.0.1:${port}`;
  if (kind === 'ioredis') {
    const c = ioredis(url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    return { client: c, close: async () => c.disconnect() };
  }
  const c = await nodeRedis(url);
  return { client: c, close: async () => void (await c.close().catch(() => undefined)) };
}

describe.each(['ioredis', 'node-redis'] as const)('Redis gone mid-load (%s)', (kind) => {
  it('answers every check within the timeout in the configured mode, and recovers', async () => {
    const proxy = new TcpProxy(redisPort);
    await proxy.start();
    const { client, close } = await clientFor(kind, proxy.port);
    const prefix = newPrefix('failure');
    const store = redisStore({
      client,
      prefix,
      timeoutMs: TIMEOUT,
      breaker: { failureThreshold: 3, cooldownMs: 200 },
    });
    const seen = await loadThroughOutage(store, {
      down: () => proxy.stop(),
      up: () => proxy.start(),
    }).finally(async () => {
      await close();
      await proxy.stop();
    });
    expectFailModeKept(seen, TIMEOUT + SLACK);
  }, 30_000);
});

describe('SCRIPT FLUSH mid-load', () => {
  it('falls back to EVAL without a single error or over-admission', async () => {
    const client = ioredis();
    const prefix = newPrefix('flush');
    const store = redisStore({ client, prefix, timeoutMs: 5000 });
    const limiter = rateLimiter({
      policies: { name: 'p', limit: 1000, window: '1m', algorithm: 'fixed' },
      store,
      failMode: 'closed',
      log: false,
    });
    let attempts = 0;
    let admitted = 0;
    let degraded = 0;
    const worker = async () => {
      while (attempts < 1500) {
        attempts++;
        if (attempts % 100 === 0) await admin.script('FLUSH');
        const r = await limiter.check('one-key');
        if (r.degraded) degraded++;
        else if (r.allowed) admitted++;
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    client.disconnect();
    expect(degraded).toBe(0);
    expect(admitted).toBe(1000);
  }, 30_000);
});
