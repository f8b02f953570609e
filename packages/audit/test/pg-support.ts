import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { type PostgresStoreOptions, postgresStore } from '../src/stores/postgres.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A pool and a fresh schema of its own; `drop()` removes both. */
export async function isolatedSchema(prefix = 'audit_t') {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const store = postgresStore({ client: pool, schema });
  await store.migrate();
  return {
    schema,
    pool,
    store,
    storeWith: (o: Partial<PostgresStoreOptions>) => postgresStore({ client: pool, schema, ...o }),
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
