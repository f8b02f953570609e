import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run shares. */
export const runSchema = (label: string) =>
  `access_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

export const pool = (options: pg.PoolConfig = {}) =>
  new pg.Pool({ connectionString: DATABASE_URL, max: 4, ...options });

/** Drops a test run's schema and ends its pool. */
export async function dropSchema(client: pg.Pool, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
