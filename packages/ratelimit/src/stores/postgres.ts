import { parseOptions } from '@platform/core';
import {
  type BreakerState,
  createGuard,
  type GuardOptionsInput,
  guardOptionsSchema,
  type SqlClient,
  sqlPing,
  watchPoolErrors,
} from '@platform/core/stores';
import { z } from 'zod';
import type { RateLimitStore, StoreCheck, StoreDecision, StoreOutcome } from '../store.js';
import { rateLimitDb } from './postgres-db.js';
import { createSweeper, type SweepReport } from './postgres-sweep.js';

const schema = guardOptionsSchema({ timeoutMs: 100, maxTimeoutMs: 1000 }).extend({
  client: z.custom<SqlClient>(
    (v) => typeof (v as SqlClient | null)?.query === 'function',
    'must be a pg Pool or Client, or PGlite (anything with query(text, params))',
  ),
  schema: z.string().default('public'),
  migrate: z.boolean().default(true),
  sweepIntervalMs: z
    .union([z.literal(false), z.number().int().min(1000).max(86_400_000)])
    .default(60_000),
  sweepBatch: z.number().int().min(1).max(1_000_000).default(10_000),
});

/** Also takes the kit's `maxTimeoutMs` (default 1000) and `breaker` (as the Redis store's). */
export interface PostgresStoreOptions extends GuardOptionsInput {
  /** A `pg` Pool (or Client), or PGlite. A Pool lets steps on different keys run in parallel. */
  client: SqlClient;
  /** Schema of the store's table and functions (created when missing). Default `public`. */
  schema?: string;
  /** Create or upgrade the table and functions on first use. Default true. */
  migrate?: boolean;
  /** How often expired states are deleted (`false`: never; call `sweep()` yourself). Default 60 000. */
  sweepIntervalMs?: number | false;
  /** States deleted per statement of a sweep. Default 10 000. */
  sweepBatch?: number;
  /** Longest a check waits for a fast PostgreSQL before the limiter's fail mode decides. Default 100. */
  timeoutMs?: number;
}

export interface PostgresStore extends RateLimitStore {
  consume(checks: readonly StoreCheck[]): Promise<StoreDecision>;
  /** Creates or upgrades the table and functions; resolves once they are there. */
  migrate(): Promise<void>;
  /** Deletes expired states now; answers how many. */
  sweep(): Promise<number>;
  /** The breaker's state, the deadline, and the last automatic sweep (for health checks). */
  health(): { breaker: BreakerState; timeoutMs: number; lastSweep?: SweepReport };
  /** Stops the sweep timer and the pool listener; the host's pool stays open. */
  shutdown(): void;
  /** `SELECT 1` within the store's deadline, through its breaker. */
  ping(): Promise<void>;
}

/** `{now, then allowed, remaining, resetMs, retryAfterMs per check}` as a decision. */
function decision(rows: { r: unknown }[], checks: readonly StoreCheck[]): StoreDecision {
  const reply = rows[0]?.r;
  if (!Array.isArray(reply) || reply.length !== 1 + checks.length * 4) {
    throw new TypeError('postgresStore: unexpected reply from ratelimit_consume');
  }
  const outcomes: StoreOutcome[] = new Array(checks.length);
  // `+ 0` turns a -0 from float8 into 0
  for (let i = 0, j = 1; i < checks.length; i++, j += 4) {
    outcomes[i] = {
      allowed: reply[j] === 1,
      remaining: reply[j + 1] + 0,
      resetMs: reply[j + 2] + 0,
      retryAfterMs: reply[j + 3] + 0,
    };
  }
  return { now: reply[0], outcomes };
}

const nothing = () => undefined;

/**
 * The shared store for apps that have PostgreSQL but no Redis: one statement per request for
 * all its policies (a PL/pgSQL function holding a per-key advisory lock for the step), on the
 * PostgreSQL clock, exact under any number of processes, with the Redis store's adaptive
 * deadline and circuit breaker. State lives in an UNLOGGED table; expired rows are swept.
 *
 * @example
 * const store = postgresStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const opts = parseOptions(schema, options, 'postgresStore');
  const db = rateLimitDb(opts.client, opts.schema, opts.migrate);
  const guard = createGuard(
    { timeoutMs: opts.timeoutMs, maxTimeoutMs: opts.maxTimeoutMs },
    opts.breaker,
    'PostgreSQL rate-limit store',
  );
  const sweeper = createSweeper({
    deleteBatch: db.deleteExpired,
    batch: opts.sweepBatch,
    intervalMs: opts.sweepIntervalMs,
    paused: () => guard.state() === 'open',
  });
  // a dropped idle connection must not crash the host; the limiter logs the outage itself
  const unwatch = watchPoolErrors(opts.client, nothing);

  return {
    name: 'postgres',
    consume: (checks) => guard.run(db.consume, checks, decision),
    refund: (checks) => guard.run(db.refund, checks, nothing),
    reset: (keys) => (keys.length > 0 ? guard.run(db.reset, keys, nothing) : Promise.resolve()),
    migrate: db.migrate,
    sweep: sweeper.sweep,
    health: () => ({
      breaker: guard.state(),
      timeoutMs: guard.timeoutMs(),
      lastSweep: sweeper.last(),
    }),
    ping: sqlPing(opts.client, guard),
    shutdown() {
      sweeper.stop();
      unwatch();
    },
  };
}

export type { BreakerState } from '@platform/core/stores';
export type { SweepReport } from './postgres-sweep.js';
