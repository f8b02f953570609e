import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, vi } from 'vitest';
import { postgresLedger } from '../src/stores/postgres.js';
import { testLedgerStore } from '../src/testkit.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: 4,
});
const schema = `cost_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const lite = new PGlite();

// PGlite boots a WASM PostgreSQL: slow on a busy machine.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

const migrated = async (ledger: ReturnType<typeof postgresLedger>) => {
  await ledger.migrate();
  return ledger;
};
testLedgerStore('postgres (pg)', () => migrated(postgresLedger({ client: pool, schema })));
testLedgerStore('postgres (PGlite)', () => migrated(postgresLedger({ client: lite })));

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await lite.close();
});
