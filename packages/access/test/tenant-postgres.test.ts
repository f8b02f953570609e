import { randomUUID } from 'node:crypto';
import { migrate } from '@platform/core/stores';
import { ValidationError } from '@platform/errors';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantPolicyMigration, withTenant } from '../src/index.js';

// The shared `postgres` user is a superuser, and superusers bypass row-level security: the
// queries under test run as a plain role created (and dropped) here.
const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
const schema = `access_tenant_${suffix}`;
const role = `access_rls_${suffix}`;
const admin = new pg.Pool({ connectionString: URL, max: 2 });
// one connection, so every test also checks that nothing leaks from the previous transaction
const app = new pg.Pool({ connectionString: URL, max: 1 });
app.on('connect', (client) => {
  client.query(`SET ROLE ${role}; SET search_path TO ${schema}`).catch(() => {});
});
const ids: Record<string, number> = {};

beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
  await admin.query(
    `CREATE TABLE ${schema}.notes (id serial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL)`,
  );
  const result = await migrate(admin, {
    component: 'access-tenant-test',
    schema,
    migrations: [tenantPolicyMigration(1, 'notes', { schema })],
  });
  expect(result.applied).toEqual([1]);
  await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.notes TO ${role}`);
  await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
  // seeded as the superuser (it bypasses the policy)
  const seeded = await admin.query<{ id: number; body: string }>(
    `INSERT INTO ${schema}.notes (tenant_id, body) VALUES ('a', 'a1'), ('a', 'a2'), ('b', 'b1') RETURNING id, body`,
  );
  for (const row of seeded.rows) ids[row.body] = row.id;
});

afterAll(async () => {
  await app.end();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.query(`DROP OWNED BY ${role}`);
  await admin.query(`DROP ROLE ${role}`);
  await admin.end();
});

const bodies = (rows: { body: string }[]) => rows.map((r) => r.body).sort();

describe('withTenant over row-level security (as a non-superuser role)', () => {
  it('runs as the plain role, which the policy binds', async () => {
    const { rows } = await app.query(
      'SELECT current_user AS who, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows).toEqual([{ who: role, rolsuper: false, rolbypassrls: false }]);
  });

  it('a query without the tenant setting sees no rows', async () => {
    expect((await app.query('SELECT * FROM notes')).rows).toEqual([]);
    const all = await admin.query(`SELECT * FROM ${schema}.notes`);
    expect(all.rows.length).toBeGreaterThanOrEqual(3); // the rows are there
  });

  it('tenant a reads only its rows, and the setting ends with the transaction', async () => {
    const rows = await withTenant(
      app,
      'a',
      async (tx) => (await tx.query<{ body: string }>('SELECT body FROM notes')).rows,
    );
    expect(bodies(rows)).toEqual(['a1', 'a2']);
    // same pooled connection, after the transaction: nothing visible again
    expect((await app.query('SELECT * FROM notes')).rows).toEqual([]);
    const b = await withTenant(
      app,
      'b',
      async (tx) => (await tx.query<{ body: string }>('SELECT body FROM notes')).rows,
    );
    expect(bodies(b)).toEqual(['b1']);
  });

  it("tenant a cannot update, delete or insert tenant b's rows", async () => {
    await withTenant(app, 'a', async (tx) => {
      const upd = (await tx.query('UPDATE notes SET body = $1 WHERE id = $2', [
        'hacked',
        ids.b1,
      ])) as unknown as { rowCount: number };
      expect(upd.rowCount).toBe(0);
      const del = (await tx.query('DELETE FROM notes WHERE id = $1', [ids.b1])) as unknown as {
        rowCount: number;
      };
      expect(del.rowCount).toBe(0);
    });
    await expect(
      withTenant(app, 'a', (tx) =>
        tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('b', 'planted')`),
      ),
    ).rejects.toMatchObject({ code: '42501' }); // new row violates row-level security policy
    await expect(
      withTenant(app, 'a', (tx) =>
        tx.query(`UPDATE notes SET tenant_id = 'b' WHERE id = $1`, [ids.a1]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const b1 = await admin.query(`SELECT body, tenant_id FROM ${schema}.notes WHERE id = $1`, [
      ids.b1,
    ]);
    expect(b1.rows).toEqual([{ body: 'b1', tenant_id: 'b' }]);
    const planted = await admin.query(`SELECT 1 FROM ${schema}.notes WHERE body = 'planted'`);
    expect(planted.rows).toEqual([]);
  });

  it('writes its own rows, and rolls back when fn throws', async () => {
    await withTenant(app, 'a', (tx) =>
      tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('a', 'a3')`),
    );
    await expect(
      withTenant(app, 'a', async (tx) => {
        await tx.query(`INSERT INTO notes (tenant_id, body) VALUES ('a', 'lost')`);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    const rows = await withTenant(
      app,
      'a',
      async (tx) => (await tx.query<{ body: string }>('SELECT body FROM notes')).rows,
    );
    expect(bodies(rows)).toEqual(['a1', 'a2', 'a3']);
  });

  it('refuses an invalid tenant id before touching the database', async () => {
    await expect(withTenant(app, "a' OR '1'='1", async () => 1)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(withTenant(app, '', async () => 1)).rejects.toMatchObject({
      code: 'invalid_tenant',
    });
  });
});
