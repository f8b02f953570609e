import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySubjects, postgresSubjects, type SubjectStore } from '../src/index.js';

const schema = `access_oidc_${process.pid}_${Date.now().toString(36)}`;
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', max: 4 });

beforeAll(async () => {
  await pool.query(`CREATE SCHEMA "${schema}"`);
});
afterAll(async () => {
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
});

const stores: [string, () => SubjectStore][] = [
  ['memory', () => memorySubjects()],
  ['PostgreSQL', () => postgresSubjects({ client: pool, schema })],
];

describe.each(stores)('%s known subjects', (_name, create) => {
  it('claims a subject once per provider', async () => {
    const store = create();
    expect(await store.claim('google', 'u1')).toBe(true);
    expect(await store.claim('google', 'u1')).toBe(false);
    expect(await store.claim('github', 'u1')).toBe(true);
  });

  it('lets one of many concurrent first logins win', async () => {
    const store = create();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.claim('google', 'race')),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a released claim', async () => {
    const store = create();
    expect(await store.claim('google', 'u3')).toBe(true);
    await store.release('google', 'u3');
    expect(await store.claim('google', 'u3')).toBe(true);
  });
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
    expect(() => postgresSubjects({ client: pool, table: 'x; DROP TABLE y' })).toThrow(/table/);
  });
});
