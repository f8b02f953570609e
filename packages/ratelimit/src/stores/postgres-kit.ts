// TEMPORARY: stands in for @platform/core/stores (branch storekit) until it lands.
import type { SqlClient } from '@platform/core';

export function sqlIdentifier(name: string, what: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) return `"${name}"`;
  throw new TypeError(`${what} must be a SQL identifier (got ${JSON.stringify(name)})`);
}

export async function migrateSchema(db: SqlClient, schema: string, up: string[]): Promise<void> {
  const s = sqlIdentifier(schema, 'schema');
  await db.query(`DO $m$ BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('ratelimit-migrate', 0));
    CREATE SCHEMA IF NOT EXISTS ${s};
    IF to_regclass('${s}.ratelimit_state') IS NULL THEN
      ${up.map((u) => `EXECUTE ${quote(u)};`).join('\n')}
    END IF;
  END $m$`);
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
