import { parseOptions } from '@platform/core';
import {
  type BreakerState,
  guardOptionsSchema,
  type RedisClientLike,
  redisGuard,
  redisPingOf,
  redisPrefixSchema,
  scriptRunner,
} from '@platform/core/stores';
import { z } from 'zod';
import type {
  Algorithm,
  RateLimitStore,
  StoreCheck,
  StoreDecision,
  StoreKey,
  StoreOutcome,
} from '../store.js';
import { SCRIPT } from './redis-script.js';

const schema = guardOptionsSchema({ timeoutMs: 50, maxTimeoutMs: 1000 }).extend({
  client: z.custom<RedisClientLike>(
    (v) => typeof v === 'object' && v !== null,
    'must be a Redis client',
  ),
  prefix: redisPrefixSchema('rl:'),
});

export interface RedisStoreOptions {
  /** An ioredis client or cluster, or a connected node-redis client or cluster. */
  client: RedisClientLike;
  /** Prefix of every key. Default `rl:`. */
  prefix?: string;
  /** Longest a check waits for a fast Redis before the limiter's fail mode decides. Default 50. */
  timeoutMs?: number;
  /**
   * While Redis answers, but slowly (a loaded machine, a far replica), the deadline grows to
   * 3× its recent answer time, up to this. Default 1000; equal to `timeoutMs` for a fixed one.
   */
  maxTimeoutMs?: number;
  /**
   * Circuit breaker (`false` to disable). Default: it opens for `cooldownMs` 1000 once the
   * weighted failures of the last `windowMs` (1000) reach `failureThreshold` (5) and
   * `failureRate` (0.5) of the calls. Errors and timeouts while the connection is down weigh
   * 1; a timeout while Redis still answers weighs ¼, so a slow Redis never opens it.
   */
  breaker?:
    | false
    | { failureThreshold?: number; failureRate?: number; windowMs?: number; cooldownMs?: number };
}

export interface RedisStore extends RateLimitStore {
  /** The circuit breaker's state, for health checks. */
  health(): { breaker: BreakerState; timeoutMs: number };
  /** `PING` within the store's deadline, through its breaker. */
  ping(): Promise<void>;
}

const LETTER: Record<Algorithm, string> = { fixed: 'f', sliding: 's', gcra: 'g' };

/** The script's arguments: the mode, then six per check. */
function args(mode: 'c' | 'r', checks: readonly StoreCheck[]): string[] {
  const out: string[] = new Array(1 + checks.length * 6);
  out[0] = mode;
  for (let i = 0, j = 1; i < checks.length; i++, j += 6) {
    const c = checks[i] as StoreCheck;
    out[j] = LETTER[c.algorithm];
    out[j + 1] = `${c.limit}`;
    out[j + 2] = `${c.windowMs}`;
    out[j + 3] = `${c.burst}`;
    out[j + 4] = `${c.cost}`;
    out[j + 5] = `${c.blockMs}`;
  }
  return out;
}

/** The script's reply as a decision: `{now, then allowed, remaining, resetMs, retryAfterMs per check}`. */
function decision(reply: unknown, checks: readonly StoreCheck[]): StoreDecision {
  if (!Array.isArray(reply) || reply.length !== 1 + checks.length * 4) {
    throw new TypeError('redisStore: unexpected script reply');
  }
  const outcomes: StoreOutcome[] = new Array(checks.length);
  for (let i = 0, j = 1; i < checks.length; i++, j += 4) {
    outcomes[i] = {
      allowed: Number(reply[j]) === 1,
      remaining: Number(reply[j + 1]),
      resetMs: Number(reply[j + 2]),
      retryAfterMs: Number(reply[j + 3]),
    };
  }
  return { now: Number(reply[0]), outcomes };
}

const nothing = () => undefined;

/**
 * The shared store for several processes: one Lua script per request for all its policies
 * (EVALSHA, falling back to EVAL after SCRIPT FLUSH or a restart), on the Redis clock, with
 * an adaptive deadline and a circuit breaker, so an absent Redis never holds a request and a
 * slow one never opens the circuit.
 *
 * @example
 * const store = redisStore({ client: new Redis(process.env.REDIS_URL), timeoutMs: 50 });
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const opts = parseOptions(schema, options, 'redisStore');
  const runner = scriptRunner(opts.client, 'redisStore');
  const guard = redisGuard(opts.client, opts, 'Rate-limit store');
  const keysOf = (checks: readonly StoreCheck[]) => {
    const keys: string[] = new Array(checks.length);
    for (let i = 0; i < checks.length; i++) keys[i] = opts.prefix + (checks[i] as StoreCheck).key;
    return keys;
  };

  // EVALSHA, and EVAL once the script cache lost the script (SCRIPT FLUSH, restart, failover).
  const exec = (keys: string[], argv: string[]) => SCRIPT.run(runner, keys, argv);
  const consume = (checks: readonly StoreCheck[]) => exec(keysOf(checks), args('c', checks));
  const refund = (checks: readonly StoreCheck[]) => exec(keysOf(checks), args('r', checks));
  const del = (keys: readonly StoreKey[]) => runner.del(keys.map((k) => opts.prefix + k.key));

  return {
    name: 'redis',
    consume: (checks) => guard.run(consume, checks, decision),
    refund: (checks) => guard.run(refund, checks, nothing),
    reset: (keys) => (keys.length > 0 ? guard.run(del, keys, nothing) : Promise.resolve()),
    health: () => ({ breaker: guard.state(), timeoutMs: guard.timeoutMs() }),
    ping: redisPingOf(runner, guard),
  };
}

export type {
  BreakerState,
  IoRedisLike,
  NodeRedisLike,
  RedisClientLike,
} from '@platform/core/stores';
