import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other test run shares. */
export const runSchema = (label: string) => `rltest_${label}_${randomUUID().slice(0, 8)}`;

export function pool(url = DATABASE_URL, options: pg.PoolConfig = {}): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 4, ...options });
}

/** Drops a test run's schema and everything in it. */
export async function dropSchema(client: pg.Pool, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
