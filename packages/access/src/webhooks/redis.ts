import { parseOptions } from '@platform/core';
import {
  type GuardOptionsInput,
  guardOptionsSchema,
  type RedisClientLike,
  redisGuard,
  redisPrefixSchema,
  redisScript,
  scriptRunner,
} from '@platform/core/stores';
import { z } from 'zod';
import type { ReplayStore } from './replay.js';

const schema = guardOptionsSchema({ timeoutMs: 100, maxTimeoutMs: 1000 }).extend({
  client: z.custom<RedisClientLike>(
    (v) => typeof v === 'object' && v !== null,
    'must be a Redis client',
  ),
  prefix: redisPrefixSchema('webhook:seen:'),
});

/**
 * An ioredis or node-redis client (or cluster), the key prefix (default `webhook:seen:`), and
 * core's deadline and breaker options (`timeoutMs` default 100, `maxTimeoutMs` 1000).
 */
export interface RedisReplayStoreOptions extends GuardOptionsInput {
  client: RedisClientLike;
  prefix?: string;
}

// SET NX PX: one atomic round trip; the key expires with the tolerance window
const CLAIM = redisScript(
  "if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then return 1 else return 0 end",
);

/**
 * The replay store for several processes: one `SET NX PX` per delivery, under core's
 * deadline and circuit breaker. When Redis cannot answer, `claim` rejects and the verifier
 * answers 503 (the sender retries later) unless it was built with `onStoreError: 'allow'`.
 *
 * @example
 * const replay = redisReplayStore({ client: new Redis(process.env.REDIS_URL!) });
 */
export function redisReplayStore(options: RedisReplayStoreOptions): ReplayStore {
  const opts = parseOptions(schema, options, 'redisReplayStore');
  const runner = scriptRunner(opts.client, 'redisReplayStore');
  const guard = redisGuard(opts.client, opts, 'Webhook replay store');
  return {
    claim: (key, ttlMs) =>
      guard.run(
        (k: string) =>
          CLAIM.run(runner, [opts.prefix + k], [String(Math.max(1, Math.ceil(ttlMs)))]),
        key,
        (reply) => Number(reply) === 1,
      ),
    release: (key) =>
      guard.run(
        (k: string) => runner.del([opts.prefix + k]),
        key,
        () => undefined,
      ),
  };
}
