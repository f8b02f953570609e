import { migrate, type SqlClient, sqlIdentifier } from '@platform/core/stores';
import type { StoreCheck, StoreKey } from '../store.js';
import { schemaV1 } from './postgres-sql.js';

/** The store's statements over one schema; each answers the function's value as `r`. */
export interface RateLimitDb {
  /** Creates or upgrades the schema; one run at a time, a failed run is retried by the next call. */
  migrate(): Promise<void>;
  consume(checks: readonly StoreCheck[]): Promise<{ r: unknown }[]>;
  refund(checks: readonly StoreCheck[]): Promise<unknown>;
  reset(keys: readonly StoreKey[]): Promise<unknown>;
  /** Deletes up to `batch` expired states; answers how many. */
  deleteExpired(batch: number): Promise<number>;
}

const statements = (s: string) => ({
  consume: `SELECT ${s}.ratelimit_consume($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS r`,
  refund: `SELECT ${s}.ratelimit_refund($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[]) AS r`,
  reset: `SELECT ${s}.ratelimit_reset($1::text[]) AS r`,
  sweep: `SELECT ${s}.ratelimit_sweep($1::int) AS r`,
});

/** The function's arrays, one entry per check in each: keys, algorithms, then `fields`. */
function columns(checks: readonly StoreCheck[], fields: readonly (keyof StoreCheck)[]): unknown[] {
  const n = checks.length;
  const out = Array.from({ length: fields.length + 2 }, () => new Array<unknown>(n));
  for (let i = 0; i < n; i++) {
    const c = checks[i] as StoreCheck;
    (out[0] as unknown[])[i] = c.key;
    (out[1] as unknown[])[i] = c.algorithm;
    for (let f = 0; f < fields.length; f++) {
      (out[f + 2] as unknown[])[i] = c[fields[f] as keyof StoreCheck];
    }
  }
  return out;
}

const CONSUME_FIELDS = ['limit', 'windowMs', 'burst', 'cost', 'blockMs'] as const;
const REFUND_FIELDS = ['limit', 'windowMs', 'cost'] as const;

const ignore = () => undefined;

/**
 * The store's side of PostgreSQL: `schema` validated by the kit's `sqlIdentifier`, its
 * version-1 migration run through the kit's `migrate` (component `ratelimit`) before the
 * first statement when `autoMigrate`, and one statement per operation.
 */
export function rateLimitDb(db: SqlClient, schema: string, autoMigrate: boolean): RateLimitDb {
  const s = sqlIdentifier(schema, 'postgresStore schema');
  const sql = statements(s);
  const migrations = [{ version: 1, up: schemaV1(s) }];
  let ready: Promise<void> | undefined;

  const upgrade = (): Promise<void> => {
    const run: Promise<void> = migrate(db, { component: 'ratelimit', schema, migrations }).then(
      ignore,
      (err: unknown) => {
        if (ready === run) ready = undefined;
        throw err;
      },
    );
    ready = run;
    return run;
  };
  const missing = explainMissing(schema);
  const query = async (text: string, params: unknown[]) => {
    if (autoMigrate) await (ready ?? upgrade());
    return (await db.query<{ r: unknown }>(text, params).catch(missing)).rows;
  };
  if (autoMigrate) upgrade().catch(ignore);

  return {
    migrate: upgrade,
    consume: (checks) => query(sql.consume, columns(checks, CONSUME_FIELDS)),
    refund: (checks) => query(sql.refund, columns(checks, REFUND_FIELDS)),
    reset: (keys) => query(sql.reset, [keys.map((k) => k.key)]),
    deleteExpired: async (batch) => Number((await query(sql.sweep, [batch]))[0]?.r ?? 0),
  };
}

const MISSING = new Set(['42883', '42P01', '3F000', '42704']);

/** A missing table, function, type or schema says how to create them, not only their name. */
function explainMissing(schema: string) {
  return (err: unknown): never => {
    if (MISSING.has((err as { code?: string } | null)?.code ?? '')) {
      throw new Error(
        `postgresStore: the rate-limit table or functions are missing in schema "${schema}"; ` +
          'call store.migrate() or create the store with migrate: true',
        { cause: err },
      );
    }
    throw err;
  };
}
