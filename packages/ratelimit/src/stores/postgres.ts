import { parseOptions } from '@platform/core';
import {
  type BreakerState,
  createGuard,
  type GuardOptionsInput,
  guardOptionsSchema,
  migrate,
  type SqlClient,
  sqlIdentifier,
  watchPoolErrors,
} from '@platform/core/stores';
import { z } from 'zod';
import type {
  RateLimitStore,
  StoreCheck,
  StoreDecision,
  StoreKey,
  StoreOutcome,
} from '../store.js';
import { schemaV1 } from './postgres-sql.js';

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
}

export interface SweepReport {
  at: number;
  deleted: number;
  error?: string;
}

interface Statements {
  consume: string;
  refund: string;
  reset: string;
  sweep: string;
}

const statements = (s: string): Statements => ({
  consume: `SELECT ${s}.ratelimit_consume($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS r`,
  refund: `SELECT ${s}.ratelimit_refund($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[]) AS r`,
  reset: `SELECT ${s}.ratelimit_reset($1::text[]) AS r`,
  sweep: `SELECT ${s}.ratelimit_sweep($1::int) AS r`,
});

/** The seven arrays of a consume: one entry per check in each. */
function consumeParams(checks: readonly StoreCheck[]): unknown[][] {
  const n = checks.length;
  const cols: unknown[][] = [[], [], [], [], [], [], []].map(() => new Array(n));
  for (let i = 0; i < n; i++) {
    const c = checks[i] as StoreCheck;
    (cols[0] as unknown[])[i] = c.key;
    (cols[1] as unknown[])[i] = c.algorithm;
    (cols[2] as unknown[])[i] = c.limit;
    (cols[3] as unknown[])[i] = c.windowMs;
    (cols[4] as unknown[])[i] = c.burst;
    (cols[5] as unknown[])[i] = c.cost;
    (cols[6] as unknown[])[i] = c.blockMs;
  }
  return cols;
}

function refundParams(checks: readonly StoreCheck[]): unknown[][] {
  const all = consumeParams(checks);
  return [all[0], all[1], all[2], all[3], all[5]] as unknown[][];
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
  const s = sqlIdentifier(opts.schema, 'postgresStore schema');
  const db = opts.client;
  const sql = statements(s);
  const guard = createGuard(
    { timeoutMs: opts.timeoutMs, maxTimeoutMs: opts.maxTimeoutMs },
    opts.breaker,
    'PostgreSQL rate-limit store',
  );
  // a dropped idle connection must not crash the host; the limiter logs the outage itself
  const unwatch = watchPoolErrors(db, nothing);
  let ready: Promise<void> | undefined;
  let lastSweep: SweepReport | undefined;

  // one run at a time; a failed run is forgotten, so the next step tries again
  const upgrade = (): Promise<void> => {
    const migrations = [{ version: 1, up: schemaV1(s) }];
    const run: Promise<void> = migrate(db, {
      component: 'ratelimit',
      schema: opts.schema,
      migrations,
    }).then(nothing, (err: unknown) => {
      if (ready === run) ready = undefined;
      throw err;
    });
    ready = run;
    return run;
  };
  const init = (): Promise<void> => (opts.migrate ? (ready ?? upgrade()) : Promise.resolve());
  const query = async (text: string, params: unknown[]) => {
    await init();
    return (await db.query<{ r: unknown }>(text, params).catch(explain(opts.schema))).rows;
  };
  const consume = (checks: readonly StoreCheck[]) => query(sql.consume, consumeParams(checks));
  const refund = (checks: readonly StoreCheck[]) => query(sql.refund, refundParams(checks));
  const reset = (keys: readonly StoreKey[]) => query(sql.reset, [keys.map((k) => k.key)]);

  const sweep = async () => {
    let total = 0;
    for (let i = 0; i < 100; i++) {
      const [row] = await query(sql.sweep, [opts.sweepBatch]);
      const deleted = Number(row?.r ?? 0);
      total += deleted;
      if (deleted < opts.sweepBatch) break;
    }
    return total;
  };
  const timer = startSweeper(opts.sweepIntervalMs, sweep, (report) => {
    lastSweep = report;
  });

  if (opts.migrate) init().catch(nothing);

  return {
    consume: (checks) => guard.run(consume, checks, decision),
    refund: (checks) => guard.run(refund, checks, nothing),
    reset: (keys) => (keys.length > 0 ? guard.run(reset, keys, nothing) : Promise.resolve()),
    migrate: upgrade,
    sweep,
    health: () => ({ breaker: guard.state(), timeoutMs: guard.timeoutMs(), lastSweep }),
    shutdown() {
      if (timer) clearInterval(timer);
      unwatch();
    },
  };
}

/** An unref'd interval, jittered so processes started together do not sweep together. */
function startSweeper(
  intervalMs: number | false,
  sweep: () => Promise<number>,
  report: (r: SweepReport) => void,
): ReturnType<typeof setInterval> | undefined {
  if (intervalMs === false) return undefined;
  const run = () => {
    sweep().then(
      (deleted) => report({ at: Date.now(), deleted }),
      (err: unknown) =>
        report({
          at: Date.now(),
          deleted: 0,
          error: err instanceof Error ? err.message : String(err),
        }),
    );
  };
  const timer = setInterval(run, Math.round(intervalMs * (0.9 + Math.random() * 0.2)));
  timer.unref();
  return timer;
}

/** A missing table or function says how to create it instead of only naming it. */
function explain(schemaName: string) {
  return (err: unknown): never => {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === '42883' || code === '42P01' || code === '3F000' || code === '42704') {
      throw new Error(
        `postgresStore: the rate-limit table or functions are missing in schema "${schemaName}"; ` +
          'call store.migrate() or create the store with migrate: true',
        { cause: err },
      );
    }
    throw err;
  };
}

export type { BreakerState } from '@platform/core/stores';
