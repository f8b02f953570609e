import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { vi } from 'vitest';
import { postgresLedger } from '../src/stores/postgres.js';
import { testLedgerStore } from '../src/testkit.js';

// PGlite boots a WASM PostgreSQL: slow on a busy machine.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

let pool: pg.Pool;
const schema = `cost_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
testLedgerStore({
  name: 'postgres (pg)',
  create: () => {
    pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
      max: 4,
    });
    return postgresLedger({ client: pool, schema });
  },
  migrate: (ledger) => ledger.migrate(),
  destroy: async (ledger) => {
    await ledger.close?.();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  },
});

let lite: PGlite;
testLedgerStore({
  name: 'postgres (PGlite)',
  create: () => {
    lite = new PGlite();
    return postgresLedger({ client: lite });
  },
  migrate: (ledger) => ledger.migrate(),
  destroy: async (ledger) => {
    await ledger.close?.();
    await lite.close();
  },
});
