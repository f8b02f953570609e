import { ConfigError } from '../options.js';
import { type SqlClient, sqlIdentifier } from './sql.js';
import { withTransaction } from './transaction.js';

/** One step of a component's schema. */
export interface Migration {
  /** A positive integer, unique within the component; pending steps run in ascending order. */
  version: number;
  /**
   * One statement, several (run in order), or a function given the transaction. Everything
   * runs inside one transaction, so no `CREATE INDEX CONCURRENTLY`.
   */
  up: string | readonly string[] | ((tx: SqlClient) => Promise<void>);
}

export interface MigrateOptions {
  /** Whose migrations these are (`'audit'`, `'cost'`): versions are counted per component. */
  component: string;
  /** Schema holding the component's tables and the `platform_migrations` table. Default `public`. */
  schema?: string;
  migrations: readonly Migration[];
}

export interface MigrateResult {
  /** The versions this call applied, in order (empty when the schema was up to date). */
  applied: number[];
}

/**
 * Brings a component's tables up to date, recording each applied version in
 * `<schema>.platform_migrations (component, version, applied_at)`. Every pending migration
 * runs in its own transaction under a transaction-scoped advisory lock on the schema, and
 * is skipped if another process recorded it meanwhile: processes starting together apply
 * each version exactly once, and a failed migration leaves nothing behind. Works on `pg`
 * (Pool or Client) and PGlite.
 *
 * A store adopting this over tables its earlier versions created makes its version 1 the
 * earlier schema with `CREATE … IF NOT EXISTS`, so old databases migrate cleanly.
 *
 * @example
 * await migrate(pool, {
 *   component: 'notes',
 *   schema: 'app',
 *   migrations: [
 *     { version: 1, up: 'CREATE TABLE IF NOT EXISTS "app".notes (id text PRIMARY KEY, body text NOT NULL)' },
 *     { version: 2, up: 'ALTER TABLE "app".notes ADD COLUMN created_at timestamptz' },
 *   ],
 * });
 */
export async function migrate(client: SqlClient, options: MigrateOptions): Promise<MigrateResult> {
  const schema = options.schema ?? 'public';
  const quoted = sqlIdentifier(schema, 'migrate schema');
  const steps = checkedMigrations(options);
  const plan: Plan = {
    schema: quoted,
    table: `${quoted}.platform_migrations`,
    lock: `platform_migrations:${schema}`,
    component: options.component,
  };
  let done =
    (await appliedVersions(client, plan)) ??
    (await withTransaction(client, (tx) => bootstrap(tx, plan)));
  const applied: number[] = [];
  for (const step of steps) {
    if (done.has(step.version)) continue;
    const outcome = await withTransaction(client, (tx) => apply(tx, plan, step));
    if (outcome.applied) applied.push(step.version);
    done = outcome.done;
  }
  return { applied };
}

interface Plan {
  /** The quoted schema and migrations table. */
  schema: string;
  table: string;
  /** Text hashed into the advisory lock key: one lock per schema. */
  lock: string;
  component: string;
}

function checkedMigrations(options: MigrateOptions): Migration[] {
  const problems: { path: string; message: string }[] = [];
  if (typeof options.component !== 'string' || options.component.length === 0) {
    problems.push({ path: 'component', message: 'must be a non-empty string' });
  }
  const seen = new Set<number>();
  options.migrations.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      problems.push({ path: `migrations.${i}.version`, message: 'must be a positive integer' });
    } else if (seen.has(m.version)) {
      problems.push({ path: `migrations.${i}.version`, message: `${m.version} appears twice` });
    }
    seen.add(m.version);
  });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
    throw new ConfigError(`Invalid migrate options:\n${lines}`, problems);
  }
  return [...options.migrations].sort((a, b) => a.version - b.version);
}

const lock = (tx: SqlClient, plan: Plan) =>
  tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [plan.lock]);

/** Relation or schema missing: the version table was never created. */
const MISSING = new Set(['42P01', '3F000']);

/** The component's applied versions, without a lock; undefined before the first migration. */
async function appliedVersions(db: SqlClient, plan: Plan): Promise<Set<number> | undefined> {
  try {
    const { rows } = await db.query<{ version: number }>(
      `SELECT version FROM ${plan.table} WHERE component = $1`,
      [plan.component],
    );
    return new Set(rows.map((r) => Number(r.version)));
  } catch (error) {
    if (MISSING.has((error as { code?: string }).code ?? '')) return undefined;
    throw error;
  }
}

/** Creates the schema and the version table if missing; answers the component's applied versions. */
async function bootstrap(tx: SqlClient, plan: Plan): Promise<Set<number>> {
  await lock(tx, plan);
  await tx.query(`CREATE SCHEMA IF NOT EXISTS ${plan.schema}`);
  await tx.query(`CREATE TABLE IF NOT EXISTS ${plan.table} (
    component text NOT NULL,
    version integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (component, version)
  )`);
  return (await appliedVersions(tx, plan)) ?? new Set();
}

/**
 * Applies one migration unless another process did while this one waited for the lock;
 * answers whether it did, and the versions applied now (the ones to skip next).
 */
async function apply(
  tx: SqlClient,
  plan: Plan,
  step: Migration,
): Promise<{ applied: boolean; done: Set<number> }> {
  await lock(tx, plan);
  const done = (await appliedVersions(tx, plan)) ?? new Set();
  if (done.has(step.version)) return { applied: false, done };
  if (typeof step.up === 'function') await step.up(tx);
  else for (const sql of typeof step.up === 'string' ? [step.up] : step.up) await tx.query(sql);
  await tx.query(`INSERT INTO ${plan.table} (component, version) VALUES ($1, $2)`, [
    plan.component,
    step.version,
  ]);
  done.add(step.version);
  return { applied: true, done };
}
