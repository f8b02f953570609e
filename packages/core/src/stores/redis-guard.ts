import { z } from 'zod';
import { type BreakerOptions, createGuard, type Guard } from './guard.js';
import { connectionState, type RedisClientLike } from './redis-client.js';

/** Deadlines and breaker as `guardOptionsSchema` parses them. */
export interface GuardOptions {
  timeoutMs: number;
  maxTimeoutMs: number;
  breaker: BreakerOptions | false;
}

/**
 * `createGuard` for calls to a Redis client: the parsed deadline and breaker options, and
 * the client's own view of its connection (a timeout while it is down counts as "down").
 *
 * @example
 * const opts = parseOptions(guardOptionsSchema({ timeoutMs: 50, maxTimeoutMs: 1000 }), options, 'myStore');
 * const guard = redisGuard(client, opts, 'My store');
 */
export function redisGuard(client: RedisClientLike, options: GuardOptions, store: string): Guard {
  const { timeoutMs, maxTimeoutMs, breaker } = options;
  return createGuard(
    { timeoutMs, maxTimeoutMs, connected: connectionState(client) },
    breaker,
    store,
  );
}

/**
 * The zod schema of a Redis key prefix option: up to 100 characters and no braces, which
 * would change the Cluster hash tag of the store's keys.
 *
 * @example
 * const schema = z.object({ prefix: redisPrefixSchema('notes:') });
 */
export function redisPrefixSchema(defaultPrefix: string) {
  return z
    .string()
    .max(100)
    .regex(/^[^{}]*$/, 'must not contain { or } (they would change the Cluster hash tag)')
    .default(defaultPrefix);
}
