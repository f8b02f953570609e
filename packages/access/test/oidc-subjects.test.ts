import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { memorySubjects, postgresSubjects } from '../src/index.js';
import { testSubjectStore } from '../src/oidc/testkit.js';

const schema = `access_oidc_${process.pid}_${Date.now().toString(36)}`;
const url = 'postgres://postgres@127.0.0.1:5432/test';

testSubjectStore({ name: 'memory', create: () => memorySubjects() });

let pool: pg.Pool;
testSubjectStore({
  name: 'PostgreSQL',
  create: async () => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query(`CREATE SCHEMA "${schema}"`);
    return postgresSubjects({ client: pool, schema });
  },
  destroy: async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  },
});

describe('PostgreSQL known subjects', () => {
  it('rejects (so the login fails closed) when the database is unreachable', async () => {
    const dead = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:9/test', max: 1 });
    dead.on('error', () => {});
    const store = postgresSubjects({ client: dead, schema });
    await expect(store.claim('google', 'u4')).rejects.toThrow();
    await dead.end();
  });

  it('refuses a bad table name at construction', () => {
    const client = { query: async () => ({ rows: [] }) };
    expect(() => postgresSubjects({ client, table: 'x; DROP TABLE y' })).toThrow(/table/);
  });
});
