import {
  type Migration,
  type SqlClient,
  sqlIdentifier,
  withTransaction,
} from '@platform/core/stores';
import { tenantId } from './ids.js';

/** The setting the policies read and `withTenant` sets. */
export const TENANT_SETTING = 'app.tenant_id';

/**
 * Runs `fn` in a transaction whose statements see only `tenant`'s rows: the transaction
 * begins with `set_config('app.tenant_id', tenant, true)` (local: it ends with the
 * transaction, so a pooled connection never carries it to the next user). Every statement
 * must go through the `tx` given to `fn`. Works on a `pg` Pool or Client and PGlite.
 *
 * @example
 * const notes = await withTenant(pool, 'acme', (tx) => tx.query('SELECT * FROM notes'));
 */
export async function withTenant<T>(
  client: SqlClient,
  tenant: string,
  fn: (tx: SqlClient) => Promise<T>,
): Promise<T> {
  const id = tenantId(tenant);
  return withTransaction(client, async (tx) => {
    await tx.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, id]);
    return fn(tx);
  });
}

export interface TenantPolicyOptions {
  /** The column holding the tenant id. Default `tenant_id`. */
  column?: string;
  /** The table's schema. Default: the search path's. */
  schema?: string;
  /** The column's type, the setting is cast to it (`text`, `uuid`, `bigint`...). Default `text`. */
  columnType?: 'text' | 'uuid' | 'bigint' | 'integer' | 'varchar';
}

/**
 * The statements that confine a table to the current tenant with row-level security:
 * `ENABLE` and `FORCE ROW LEVEL SECURITY` (the owner is bound too) and one policy for every
 * command, `USING` and `WITH CHECK` the column equal to `current_setting('app.tenant_id', true)`.
 * Without the setting (or after a transaction that set it ended) no row is visible or
 * writable. Superusers and roles with BYPASSRLS are never bound: connect as another role.
 *
 * @example
 * for (const statement of tenantPolicySql('notes')) await pool.query(statement);
 */
export function tenantPolicySql(table: string, options: TenantPolicyOptions = {}): string[] {
  const name = sqlIdentifier(table, 'table');
  const target = options.schema ? `${sqlIdentifier(options.schema, 'schema')}.${name}` : name;
  const column = sqlIdentifier(options.column ?? 'tenant_id', 'column');
  const type = options.columnType ?? 'text';
  if (!['text', 'uuid', 'bigint', 'integer', 'varchar'].includes(type)) {
    throw new TypeError(`tenantPolicySql: columnType ${JSON.stringify(type)} is not supported`);
  }
  const policy = sqlIdentifier(`${table}_tenant_isolation`, 'policy name');
  // '' after a local setting ended, NULL when never set: both match no row, and never fail a cast
  const current = `NULLIF(current_setting('${TENANT_SETTING}', true), '')::${type}`;
  return [
    `ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${target} FORCE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${policy} ON ${target}`,
    `CREATE POLICY ${policy} ON ${target} USING (${column} = ${current}) WITH CHECK (${column} = ${current})`,
  ];
}

/**
 * `tenantPolicySql` as one step for core's `migrate()`.
 *
 * @example
 * await migrate(pool, { component: 'app', migrations: [tenantPolicyMigration(3, 'notes')] });
 */
export function tenantPolicyMigration(
  version: number,
  table: string,
  options: TenantPolicyOptions = {},
): Migration {
  return { version, up: tenantPolicySql(table, options) };
}
