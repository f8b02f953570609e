import { withRateLimit } from '@platform/ratelimit/next';
import type { Redis } from 'ioredis';
import {
  type ExampleLimiters,
  exampleLimiters,
  exampleRateLimitStore,
} from '../../../shared/ratelimit-limiters';
import type { RouteFeature } from './types';

// Route handlers may be bundled separately: one set of counters per process.
const key = Symbol.for('platform.example.ratelimit');
const registry = globalThis as typeof globalThis & {
  [key]?: ExampleLimiters & { redis?: Redis };
};
// Built synchronously, so Redis (when configured) keeps its offline queue.
registry[key] ??= (() => {
  const { store, client } = exampleRateLimitStore(true);
  return { ...exampleLimiters(store), redis: client };
})();
const { api, itemWrites } = registry[key];

/** The limiters' Redis client, when they run on Redis (for the health check). */
export const rateLimitRedis = registry[key].redis;

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
