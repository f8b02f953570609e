import { describe, expect, it } from 'vitest';
import type { LimiterLogEvent } from '../src/events.js';
import { rateLimiter } from '../src/limiter.js';
import type { StoreUnavailableError } from '../src/store.js';
import { redisStore } from '../src/stores/redis.js';
import { OwnRedis } from './own-redis.js';
import { cleanedPrefixes, ioredis, REDIS_URL } from './redis-support.js';
import { TcpProxy } from './tcp-proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { newPrefix } = cleanedPrefixes();

describe('a healthy but slow Redis (every chunk held 60 ms each way)', () => {
  it('never opens the breaker, and exactly `limit` of 2 × limit attempts are admitted', async () => {
    const proxy = new TcpProxy(Number(new URL(REDIS_URL).port || 6379));
    await proxy.start();
    proxy.delayMs = 60;
    const client = ioredis(proxy.urlFor(REDIS_URL), { maxRetriesPerRequest: null });
    await new Promise((resolve) => client.once('ready', resolve));
    const prefix = newPrefix('slow');
    const store = redisStore({ client, prefix }); // defaults: 50 ms deadline, adaptive
    const limiter = rateLimiter({
      name: 'slow',
      policies: { name: 'p', limit: 300, window: '1m', algorithm: 'fixed' },
      store,
      failMode: 'open',
      log: false,
    });
    let admitted = 0;
    let circuitOpen = 0;
    let timeouts = 0;
    let attempts = 0;
    const states = new Set<string>();
    const worker = async () => {
      while (attempts < 600) {
        attempts++;
        const r = await limiter.check('one-key');
        states.add(store.health().breaker);
        if (r.allowed) admitted++;
        const reason = (r.error as StoreUnavailableError | undefined)?.reason;
        if (reason === 'circuit-open') circuitOpen++;
        if (reason === 'timeout') timeouts++;
      }
    };
    try {
      await Promise.all(Array.from({ length: 20 }, worker));
    } finally {
      client.disconnect();
      await proxy.stop();
    }
    console.info(
      `[ratelimit] slow Redis: ${admitted} of 600 admitted (limit 300), ${timeouts} timed out, ${circuitOpen} refused by the breaker, deadline ${(store.health() as { timeoutMs?: number }).timeoutMs} ms`,
    );
    expect(circuitOpen).toBe(0);
    expect([...states]).toEqual(['closed']);
    expect(admitted).toBe(300);
    expect(store.health().timeoutMs).toBeGreaterThan(120);
  }, 60_000);
});

describe('a Redis that is really down (its own redis-server, killed)', () => {
  it('opens the breaker, logs one degraded and one recovered line with counts, recovers', async () => {
    const redis = new OwnRedis();
    await redis.start();
    const client = ioredis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    await new Promise((resolve) => client.once('ready', resolve));
    const lines: LimiterLogEvent[] = [];
    const store = redisStore({ client, prefix: 'own:' });
    const limiter = rateLimiter({
      name: 'down',
      policies: { name: 'p', limit: 1_000_000, window: '1m' },
      store,
      failMode: 'closed',
      log: (e) => lines.push(e),
    });
    let phase: 'up' | 'down' | 'back' = 'up';
    let stop = false;
    let opened = false;
    let recovered = false;
    let failedChecks = 0;
    const worker = async (i: number) => {
      while (!stop) {
        const r = await limiter.check(`k${i}`);
        if (phase === 'down' && store.health().breaker === 'open') opened = true;
        if (r.degraded) failedChecks++;
        if (phase === 'back' && !r.degraded) recovered = true;
        await sleep(5);
      }
    };
    const workers = Array.from({ length: 10 }, (_, i) => worker(i));
    try {
      await sleep(300);
      phase = 'down';
      await redis.stop();
      await sleep(1_500);
      phase = 'back';
      await redis.start();
      for (let i = 0; i < 100 && !recovered; i++) await sleep(50);
    } finally {
      stop = true;
      await Promise.all(workers);
      client.disconnect();
      await redis.stop();
    }
    console.info(
      `[ratelimit] Redis down: ${failedChecks} checks failed closed; breaker opened: ${opened}; lines: ${JSON.stringify(lines.map((l) => l.msg))}`,
    );
    expect(opened).toBe(true);
    expect(recovered).toBe(true);
    const health = lines.filter((l) => l.msg !== 'rate limit exceeded');
    expect(health.map((l) => l.msg)).toEqual([
      'rate limit store degraded',
      'rate limit store recovered',
    ]);
    expect(health[1]).toMatchObject({ limiter: 'down', failMode: 'closed', failedOpen: 0 });
    const closed = (health[1] as { failedClosed: number }).failedClosed;
    expect(closed).toBe(failedChecks);
    expect(closed).toBeGreaterThan(20);
  }, 60_000);
});
