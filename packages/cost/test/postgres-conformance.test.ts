import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll } from 'vitest';
import { postgresLedger } from '../src/stores/postgres.js';
import { testLedgerStore } from '../src/testkit.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: 4,
});
const schema = `cost_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const lite = new PGlite();

testLedgerStore('postgres (pg)', () => postgresLedger({ client: pool, schema }));
testLedgerStore('postgres (PGlite)', () => postgresLedger({ client: lite }));

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  await lite.close();
});
