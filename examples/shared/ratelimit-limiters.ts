import { onShutdown } from '@platform/core';
import {
  limiterOptionsFromEnv,
  memoryStore,
  policyFromEnv,
  type RateLimiter,
  type RateLimitStore,
  rateLimiter,
} from '@platform/ratelimit';
import { redisStore } from '@platform/ratelimit/redis';
import { Redis } from 'ioredis';

export interface ExampleLimiters {
  api: RateLimiter;
  itemWrites: RateLimiter;
}

/**
 * The examples' two limiters over one store. Limits come from the environment:
 * `RATE_LIMIT_PER_MINUTE` (default 100, per user, per IP when anonymous) for /api/*, and
 * `ITEMS_RATE_LIMIT_PER_MINUTE` (default 10 per user) for POST /api/items.
 */
export function exampleLimiters(store: RateLimitStore): ExampleLimiters {
  return {
    api: rateLimiter({
      name: 'api',
      policies: policyFromEnv({ name: 'per-user', limit: 100, window: '1m', by: 'user' }),
      store,
      ...limiterOptionsFromEnv(),
    }),
    itemWrites: rateLimiter({
      name: 'item-writes',
      policies: policyFromEnv(
        { name: 'item-writes', limit: 10, window: '1m', by: 'user' },
        { prefix: 'ITEMS_RATE_LIMIT' },
      ),
      store,
    }),
  };
}

/**
 * The memory store by default; Redis when `PLATFORM_RATELIMIT_REDIS_URL` is set
 * (`_PREFIX`, `_TIMEOUT_MS`). `ready` settles once the Redis connection is up, or after
 * 2 s without hanging if Redis is down.
 *
 * `offlineQueue: false` (a server that awaits `ready` before serving): commands sent
 * while disconnected fail at once and the limiter fails open. `true` (built
 * synchronously, as in the Next example): the first commands may wait for the
 * connection, still bounded by the store's timeout.
 */
export function exampleRateLimitStore(offlineQueue: boolean): {
  store: RateLimitStore;
  ready: Promise<void>;
  /** The Redis client, when the store runs on Redis (for the health check). */
  client?: Redis;
} {
  const url = process.env.PLATFORM_RATELIMIT_REDIS_URL;
  if (!url) return { store: memoryStore(), ready: Promise.resolve() };
  const client = new Redis(url, { enableOfflineQueue: offlineQueue, maxRetriesPerRequest: 1 });
  // Without a listener ioredis prints an "Unhandled error event" stack per failed reconnect;
  // the limiters log one line when Redis degrades and one when it recovers, with counts.
  client.on('error', () => {});
  onShutdown(() => client.quit().then(() => undefined), { name: 'ratelimit-redis' });
  const ready = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    timer.unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const store = redisStore({
    client,
    prefix: process.env.PLATFORM_RATELIMIT_REDIS_PREFIX ?? 'rl:',
    // the store's default (50 ms) unless set; past it, the limiter fails open
    timeoutMs: Number(process.env.PLATFORM_RATELIMIT_REDIS_TIMEOUT_MS ?? 50),
  });
  return { store, ready, client };
}
