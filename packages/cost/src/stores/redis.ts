import { parseOptions } from '@platform/core';
import { z } from 'zod';
import type { AdmitResult, BudgetStore } from '../store.js';
import { SCRIPT, SCRIPT_SHA } from './redis-script.js';

type Arg = string | number;

/** The part of an ioredis client (or Cluster) the store uses. */
export interface IoRedisLike {
  evalsha(sha: string, numKeys: number, ...args: Arg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Arg[]): Promise<unknown>;
}

export interface RedisBudgetStoreOptions {
  /** An ioredis client or Cluster. */
  client: IoRedisLike;
  /** Prefix of every key. Default `cost:`. */
  prefix?: string;
  /** Longest a script may take before the call fails (and `onStoreError` decides). Default 500. */
  timeoutMs?: number;
}

const schema = z.object({
  client: z.custom<IoRedisLike>(
    (v) => typeof (v as IoRedisLike | null)?.evalsha === 'function',
    'must be an ioredis client',
  ),
  prefix: z
    .string()
    .max(100)
    .regex(/^[^{}]*$/, 'must not contain { or } (they would change the Cluster hash tag)')
    .default('cost:'),
  timeoutMs: z.number().int().min(1).max(60_000).default(500),
});

/**
 * Live budget counters and reservations in Redis, shared by every process: one Lua script
 * per admission and per settlement (EVALSHA, EVAL after a script flush), all keys of a tenant
 * under one hash tag so it works on Redis Cluster. Counters are dropped when their period
 * ends; unsettled reservations are released by the next call of the tenant after they expire.
 *
 * @example
 * const control = costControl({ store: redisBudgetStore({ client: new Redis(process.env.REDIS_URL) }) });
 */
export function redisBudgetStore(options: RedisBudgetStoreOptions): BudgetStore {
  const { client, prefix, timeoutMs } = parseOptions(schema, options, 'redisBudgetStore');
  const keys = (group: string) => {
    const base = `${prefix}{${group}}:`;
    return [`${base}c`, `${base}ce`, `${base}h`, `${base}he`, `${base}a`];
  };
  const run = (group: string, args: Arg[]): Promise<number[]> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis budget store: no answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([script(group, args), timeout]).finally(() => clearTimeout(timer));
  };
  const script = async (group: string, args: Arg[]): Promise<number[]> => {
    const k = keys(group);
    try {
      return (await client.evalsha(SCRIPT_SHA, k.length, ...k, ...args)) as number[];
    } catch (err) {
      if (!String((err as Error)?.message).startsWith('NOSCRIPT')) throw err;
      return (await client.eval(SCRIPT, k.length, ...k, ...args)) as number[];
    }
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
  };
}
