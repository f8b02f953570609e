import { parseOptions } from '@platform/core';
import {
  type BreakerState,
  type GuardOptionsInput,
  guardOptionsSchema,
  isRedisClient,
  type RedisClientLike,
  redisGuard,
  redisPingOf,
  redisPrefixSchema,
  type ScriptRunner,
  scriptRunner,
} from '@platform/core/stores';
import { z } from 'zod';
import type { AdmitResult, BudgetStore } from '../store.js';
import { SCRIPT } from './redis-script.js';

export interface RedisBudgetStoreOptions {
  /** An ioredis client or Cluster, or a connected node-redis client or cluster. */
  client: RedisClientLike;
  /** Prefix of every key. Default `cost:`. */
  prefix?: string;
  /**
   * Longest a script may take while Redis answers fast before the call fails (and
   * `onStoreError` decides). Default 500.
   */
  timeoutMs?: number;
  /**
   * While Redis answers, but slowly, the deadline grows to 3× its recent answer time, up to
   * this. Default 2000; equal to `timeoutMs` for a fixed one.
   */
  maxTimeoutMs?: number;
  /**
   * Circuit breaker (`false` to disable). Default: it opens for `cooldownMs` 1000 once the
   * weighted failures of the last `windowMs` (1000) reach `failureThreshold` (5) and
   * `failureRate` (0.5) of the calls; while open, calls fail at once. Errors and timeouts
   * while the connection is down weigh 1, a timeout while Redis still answers ¼.
   */
  breaker?: GuardOptionsInput['breaker'];
}

export interface RedisBudgetStore extends BudgetStore {
  /** The circuit breaker's state and the current deadline, for health checks. */
  health(): { breaker: BreakerState; timeoutMs: number };
  /** `PING` within the store's deadline, through its breaker. */
  ping(): Promise<void>;
}

const schema = guardOptionsSchema({ timeoutMs: 500, maxTimeoutMs: 2000 }).extend({
  client: z.custom<RedisClientLike>(isRedisClient, 'must be an ioredis or node-redis client'),
  prefix: redisPrefixSchema('cost:'),
});

type Arg = string | number;

/** One script call: a group's five keys and the arguments. */
interface Call {
  runner: ScriptRunner;
  keys: string[];
  args: string[];
}

const runScript = (call: Call) => SCRIPT.run(call.runner, call.keys, call.args);

function numbers(reply: unknown): number[] {
  if (!Array.isArray(reply)) throw new TypeError('redisBudgetStore: unexpected script reply');
  return reply as number[];
}

/**
 * Live budget counters and reservations in Redis, shared by every process: one Lua script
 * per admission and per settlement (EVALSHA, EVAL after a script flush), all keys of a tenant
 * under one hash tag so it works on Redis Cluster. Counters are dropped when their period
 * ends; unsettled reservations are released by the next call of the tenant after they expire.
 * Every call runs under an adaptive deadline and a circuit breaker (`@platform/core/stores`),
 * so an absent Redis fails admissions at once instead of holding each for the timeout.
 *
 * @example
 * const control = costControl({ store: redisBudgetStore({ client: new Redis(process.env.REDIS_URL) }) });
 */
export function redisBudgetStore(options: RedisBudgetStoreOptions): RedisBudgetStore {
  const opts = parseOptions(schema, options, 'redisBudgetStore');
  const runner = scriptRunner(opts.client, 'redisBudgetStore');
  const guard = redisGuard(opts.client, opts, 'Redis budget store');
  const run = (group: string, args: Arg[]): Promise<number[]> => {
    const base = `${opts.prefix}{${group}}:`;
    const keys = [`${base}c`, `${base}ce`, `${base}h`, `${base}he`, `${base}a`];
    return guard.run(runScript, { runner, keys, args: args.map(String) }, numbers);
  };

  return {
    async admit(req): Promise<AdmitResult> {
      const args: Arg[] = ['a', req.now, req.id, req.holdUntil, req.counters.length];
      for (const c of req.counters)
        args.push(c.key, c.amount, c.limit, c.enforce ? '1' : '0', c.expiresAt);
      const [ok, blocked, ...values] = await run(req.group, args);
      return ok === 1 ? { ok: true, values } : { ok: false, blocked: blocked as number, values };
    },
    async settle(req) {
      const args: Arg[] = ['s', req.now, req.id, req.counters.length];
      for (const c of req.counters) args.push(c.key, c.amount, c.expiresAt);
      const [found, , ...values] = await run(req.group, args);
      return { found: found === 1, values };
    },
    async release(group, id, now) {
      await run(group, ['r', now, id]);
    },
    async peek(group, fields, now) {
      const [, , ...values] = await run(group, ['p', now, ...fields]);
      return values;
    },
    async claim(group, key, expiresAt, now) {
      const [added] = await run(group, ['c', now, key, expiresAt]);
      return added === 1;
    },
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
