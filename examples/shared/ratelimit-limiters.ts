import { onShutdown } from '@platform/core';
import {
  limiterOptionsFromEnv,
  memoryStore,
  policyFromEnv,
  type RateLimiter,
  type RateLimitStore,
  rateLimiter,
} from '@platform/ratelimit';

/**
 * The example's two limiters. Memory store by default; Redis when
 * `PLATFORM_RATELIMIT_REDIS_URL` is set (`_PREFIX`, `_TIMEOUT_MS`). Limits come from the environment:
 * `RATE_LIMIT_PER_MINUTE` (default 100, per user, per IP when anonymous) for /api/*, and
 * `ITEMS_RATE_LIMIT_PER_MINUTE` (default 10 per user) for POST /api/items.
 */
export async function exampleLimiters(): Promise<{ api: RateLimiter; itemWrites: RateLimiter }> {
  const store = await storeFromEnv();
  const api = rateLimiter({
    name: 'api',
    policies: policyFromEnv({ name: 'per-user', limit: 100, window: '1m', by: 'user' }),
    store,
    ...limiterOptionsFromEnv(),
  });
  const itemWrites = rateLimiter({
    name: 'item-writes',
    policies: policyFromEnv(
      { name: 'item-writes', limit: 10, window: '1m', by: 'user' },
      { prefix: 'ITEMS_RATE_LIMIT' },
    ),
    store,
  });
  return { api, itemWrites };
}

async function storeFromEnv(): Promise<RateLimitStore> {
  const url = process.env.PLATFORM_RATELIMIT_REDIS_URL;
  if (!url) return memoryStore();
  const [{ Redis }, { redisStore }] = await Promise.all([
    import('ioredis'),
    import('@platform/ratelimit/redis'),
  ]);
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  onShutdown(() => client.quit().then(() => undefined), { name: 'ratelimit-redis' });
  // Without an offline queue, commands sent before the connection is up fail (and the
  // limiter fails open): give it up to 2 s before serving, without hanging if Redis is down.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redisStore({
    client,
    prefix: process.env.PLATFORM_RATELIMIT_REDIS_PREFIX ?? 'rl:',
    // the store's default (50 ms) unless set; past it, the limiter fails open
    timeoutMs: Number(process.env.PLATFORM_RATELIMIT_REDIS_TIMEOUT_MS ?? 50),
  });
}
