import { randomUUID } from 'node:crypto';
import { memoryStore, rateLimiter } from '@platform/ratelimit';
import { redisStore } from '@platform/ratelimit/redis';
import { MemoryStore } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { MicroCase } from '../../micro.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const HUGE = 1_000_000_000;
const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

/** Cycles through the 10k keys: every case sees the same key sequence. */
export function nextKey() {
  let i = 0;
  return () => KEYS[i++ % KEYS.length] as string;
}

export function expectAllowed(allowed: boolean, who: string) {
  if (!allowed) throw new Error(`${who}: the first check was refused`);
}

/** Memory stores on 10k keys, one fixed-window policy (the peers' only algorithm). */
export const memoryCases: MicroCase[] = [
  {
    name: 'rate-limiter-flexible RateLimiterMemory',
    group: 'memory, 10k keys',
    baseline: true,
    setup: () => {
      const rlf = new RateLimiterMemory({ points: HUGE, duration: 60 });
      const key = nextKey();
      return () => rlf.consume(key());
    },
    verify: async (op) => {
      const r = (await op()) as { remainingPoints: number };
      expectAllowed(r.remainingPoints === HUGE - 1, 'rlf');
    },
  },
  {
    name: 'express-rate-limit MemoryStore',
    group: 'memory, 10k keys',
    setup: () => {
      const store = new MemoryStore();
      store.init({ windowMs: 60_000 } as Parameters<MemoryStore['init']>[0]);
      stores.push(store);
      const key = nextKey();
      return () => store.increment(key());
    },
    teardown: () => {
      for (const s of stores.splice(0)) s.shutdown();
    },
  },
  oursMemory('fixed', 'check'),
  oursMemory('sliding', 'check'),
  oursMemory('fixed', 'checkSync'),
  oursMemory('sliding', 'checkSync'),
];
const stores: MemoryStore[] = [];

/**
 * Ours on the memory store, one policy, through `check()` (a promise, as the peers answer)
 * or `checkSync()` (the answer at once, what the HTTP bindings use over a memory store).
 */
function oursMemory(algorithm: 'fixed' | 'sliding', method: 'check' | 'checkSync'): MicroCase {
  return {
    name: `@platform/ratelimit memoryStore (${algorithm}${method === 'checkSync' ? ', checkSync' : ''})`,
    group: 'memory, 10k keys',
    setup: () => {
      const limiter = rateLimiter({
        name: 'bench',
        policies: { name: 'per-user', limit: HUGE, window: '1m', algorithm },
        store: memoryStore({ maxKeys: 20_000 }),
        log: false,
      });
      const key = nextKey();
      return method === 'check' ? () => limiter.check(key()) : () => limiter.checkSync(key());
    },
    verify: async (op) => {
      const r = (await op()) as { allowed: boolean };
      expectAllowed(r.allowed, 'ours');
    },
  };
}

/**
 * Redis on 10k keys: ours checks TWO policies (per minute and per day, sliding) in one
 * round trip; rate-limiter-flexible one fixed-window policy. A unique key prefix per run,
 * deleted in teardown.
 */
export function redisCases(group: string): MicroCase[] {
  const prefix = `bench-rl:${randomUUID().slice(0, 8)}:`;
  /** Each case owns a client; teardown deletes the run's keys and closes it. */
  const owned = () => {
    let redis: Redis | undefined;
    return {
      client: () => {
        redis ??= new Redis(REDIS_URL);
        return redis;
      },
      async close() {
        if (!redis) return;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
        await redis.quit();
        redis = undefined;
      },
    };
  };
  const rlfRedis = owned();
  const ourRedis = owned();
  const ourRedisFixed = owned();
  return [
    {
      name: 'rate-limiter-flexible RateLimiterRedis (1 policy)',
      group,
      baseline: true,
      setup: () => {
        const rlf = new RateLimiterRedis({
          storeClient: rlfRedis.client(),
          keyPrefix: `${prefix}rlf`,
          points: HUGE,
          duration: 60,
        });
        const key = nextKey();
        return () => rlf.consume(key());
      },
      verify: async (op) => {
        const r = (await op()) as { remainingPoints: number };
        expectAllowed(r.remainingPoints === HUGE - 1, 'rlf redis');
      },
      teardown: () => rlfRedis.close(),
    },
    {
      name: '@platform/ratelimit redisStore (2 policies, 1 round trip)',
      group,
      setup: () => {
        const limiter = rateLimiter({
          name: 'bench',
          policies: [
            { name: 'per-minute', limit: HUGE, window: '1m' },
            { name: 'per-day', limit: 50_000_000, window: '1d' },
          ],
          store: redisStore({
            client: ourRedis.client(),
            prefix: `${prefix}ours:`,
            timeoutMs: 1000,
          }),
          log: false,
        });
        const key = nextKey();
        return () => limiter.check(key());
      },
      verify: async (op) => {
        const r = (await op()) as { allowed: boolean; degraded?: boolean };
        expectAllowed(r.allowed && !r.degraded, 'ours redis');
      },
      teardown: () => ourRedis.close(),
    },
    {
      name: '@platform/ratelimit redisStore (1 fixed policy, like the peer)',
      group,
      setup: () => {
        const limiter = rateLimiter({
          name: 'bench1',
          policies: { name: 'per-minute', limit: HUGE, window: '1m', algorithm: 'fixed' },
          store: redisStore({
            client: ourRedisFixed.client(),
            prefix: `${prefix}ours1:`,
            timeoutMs: 1000,
          }),
          log: false,
        });
        const key = nextKey();
        return () => limiter.check(key());
      },
      teardown: () => ourRedisFixed.close(),
    },
  ];
}
