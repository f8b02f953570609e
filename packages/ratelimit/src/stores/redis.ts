import { parseOptions } from '@platform/core';
import { z } from 'zod';
import type {
  Algorithm,
  RateLimitStore,
  StoreCheck,
  StoreDecision,
  StoreOutcome,
} from '../store.js';
import { type BreakerState, createGuard } from './guard.js';
import { isNoScript, type RedisClientLike, scriptRunner } from './redis-client.js';
import { SCRIPT, SCRIPT_SHA } from './redis-script.js';

const schema = z.object({
  client: z.custom<RedisClientLike>(
    (v) => typeof v === 'object' && v !== null,
    'must be a Redis client',
  ),
  prefix: z
    .string()
    .max(100)
    .regex(/^[^{}]*$/, 'must not contain { or } (they would change the Cluster hash tag)')
    .default('rl:'),
  timeoutMs: z.number().int().min(1).max(60_000).default(50),
  breaker: z
    .union([
      z.literal(false),
      z.object({
        failureThreshold: z.number().int().min(1).max(1000).default(5),
        cooldownMs: z.number().int().min(1).max(600_000).default(1000),
      }),
    ])
    .default({ failureThreshold: 5, cooldownMs: 1000 }),
});

export interface RedisStoreOptions {
  /** An ioredis client or cluster, or a connected node-redis client or cluster. */
  client: RedisClientLike;
  /** Prefix of every key. Default `rl:`. */
  prefix?: string;
  /** Longest a check may wait for Redis before the limiter's fail mode decides. Default 50. */
  timeoutMs?: number;
  /** Circuit breaker (`false` to disable). Default 5 failures open it for 1000 ms. */
  breaker?: false | { failureThreshold?: number; cooldownMs?: number };
}

export interface RedisStore extends RateLimitStore {
  /** The circuit breaker's state, for health checks. */
  health(): { breaker: BreakerState };
}

const LETTER: Record<Algorithm, string> = { fixed: 'f', sliding: 's', gcra: 'g' };

function args(mode: 'c' | 'r', checks: readonly StoreCheck[]): string[] {
  const out: string[] = [mode];
  for (const c of checks) {
    out.push(
      LETTER[c.algorithm],
      String(c.limit),
      String(c.windowMs),
      String(c.burst),
      String(c.cost),
      String(c.blockMs),
    );
  }
  return out;
}

/**
 * The shared store for several processes: one Lua script per request for all its policies
 * (EVALSHA, falling back to EVAL after SCRIPT FLUSH or a restart), on the Redis clock, with
 * a timeout and a circuit breaker so a slow or absent Redis never holds a request.
 *
 * @example
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL), timeoutMs: 50 });
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const opts = parseOptions(schema, options, 'redisStore');
  const runner = scriptRunner(opts.client);
  const guard = createGuard(opts.timeoutMs, opts.breaker);
  const keysOf = (checks: readonly StoreCheck[]) => checks.map((c) => opts.prefix + c.key);

  const exec = async (keys: string[], argv: string[]): Promise<unknown> => {
    try {
      return await runner.evalSha(SCRIPT_SHA, keys, argv);
    } catch (err) {
      if (isNoScript(err)) return runner.eval(SCRIPT, keys, argv);
      throw err;
    }
  };

  return {
    async consume(checks): Promise<StoreDecision> {
      const reply = await guard.run(() => exec(keysOf(checks), args('c', checks)));
      if (!Array.isArray(reply) || reply.length !== 1 + checks.length * 4) {
        throw new TypeError('redisStore: unexpected script reply');
      }
      const outcomes: StoreOutcome[] = new Array(checks.length);
      for (let i = 0; i < checks.length; i++) {
        const j = 1 + i * 4;
        outcomes[i] = {
          allowed: Number(reply[j]) === 1,
          remaining: Number(reply[j + 1]),
          resetMs: Number(reply[j + 2]),
          retryAfterMs: Number(reply[j + 3]),
        };
      }
      return { now: Number(reply[0]), outcomes };
    },
    async refund(checks) {
      await guard.run(() => exec(keysOf(checks), args('r', checks)));
    },
    async reset(keys) {
      if (keys.length > 0) await guard.run(() => runner.del(keys.map((k) => opts.prefix + k.key)));
    },
    health: () => ({ breaker: guard.state() }),
  };
}

export type { BreakerState } from './guard.js';
export type { IoRedisLike, NodeRedisLike, RedisClientLike } from './redis-client.js';
