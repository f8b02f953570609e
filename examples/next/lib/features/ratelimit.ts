import { onShutdown } from '@platform/core';
import {
  limiterOptionsFromEnv,
  memoryStore,
  policyFromEnv,
  type RateLimiter,
  type RateLimitStore,
  rateLimiter,
} from '@platform/ratelimit';
import { withRateLimit } from '@platform/ratelimit/next';
import { redisStore } from '@platform/ratelimit/redis';
import { Redis } from 'ioredis';
import type { RouteFeature } from './types';

function storeFromEnv(): RateLimitStore {
  const url = process.env.PLATFORM_RATELIMIT_REDIS_URL;
  if (!url) return memoryStore();
  // The offline queue stays on: this is built synchronously, so the first commands may be
  // sent before the connection is up; the store's timeout still bounds every wait.
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  onShutdown(() => client.quit().then(() => undefined), { name: 'ratelimit-redis' });
  return redisStore({
    client,
    prefix: process.env.PLATFORM_RATELIMIT_REDIS_PREFIX ?? 'rl:',
    // the store's default (50 ms) unless set; past it, the limiter fails open
    timeoutMs: Number(process.env.PLATFORM_RATELIMIT_REDIS_TIMEOUT_MS ?? 50),
  });
}

/**
 * The example's two limiters. Memory store by default; Redis when
 * `PLATFORM_RATELIMIT_REDIS_URL` is set (`_PREFIX`, `_TIMEOUT_MS`). Limits come from the environment:
 * `RATE_LIMIT_PER_MINUTE` (default 100, per user, per IP when anonymous) for /api/*, and
 * `ITEMS_RATE_LIMIT_PER_MINUTE` (default 10 per user) for POST /api/items.
 */
function exampleLimiters(): { api: RateLimiter; itemWrites: RateLimiter } {
  const store = storeFromEnv();
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

// Route handlers may be bundled separately: one set of counters per process.
const key = Symbol.for('platform.example.ratelimit');
const registry = globalThis as typeof globalThis & {
  [key]?: ReturnType<typeof exampleLimiters>;
};
registry[key] ??= exampleLimiters();
const { api, itemWrites } = registry[key];

/**
 * @platform/ratelimit in the example: a per-user limit (per IP when anonymous) on every
 * /api route, and a tighter one on POST /api/items. Next does not expose the client's
 * address: unless `TRUST_PROXY_HOPS` declares the proxies in front (lib/route.ts),
 * anonymous clients share one `ip=unknown` bucket.
 */
export const ratelimit: RouteFeature = (handler, { route }) => {
  if (!route.startsWith('/api/')) return handler;
  const limited = withRateLimit(handler, api, { route });
  if (route !== '/api/items') return limited;
  const writes = withRateLimit(handler, [api, itemWrites], { route });
  return (request, ...rest) =>
    request.method === 'POST' ? writes(request, ...rest) : limited(request, ...rest);
};
