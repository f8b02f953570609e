import { type SqlClient, withTransaction } from '@platform/core/stores';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { postgresStore } from '../src/stores/postgres.js';
import { auditTrail } from '../src/trail.js';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';
import { spillFile } from './trail-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
let proxy: TcpProxy;
let proxiedUrl: string;

beforeAll(async () => {
  db = await isolatedSchema('audit_cut');
  proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
  await proxy.start();
  const url = new URL(DATABASE_URL);
  url.port = String(proxy.port);
  proxiedUrl = url.toString();
});
afterAll(async () => {
  await proxy.stop();
  await db.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL connections cut under the audit store', () => {
  it('survives idle pooled connections dying (the README quick start, no pool listener of its own), reports once, and stores every event recorded during the outage', async () => {
    // exactly the quick start: a bare Pool handed to postgresStore, nothing listening on it
    const pool = new pg.Pool({ connectionString: proxiedUrl, max: 3 });
    const reports: { where: string; message: string }[] = [];
    const audit = auditTrail({
      store: postgresStore({ client: pool, schema: db.schema }),
      spill: { path: spillFile('audit-cut') },
      log: false,
      shutdown: false,
      retry: { initialMs: 50, maxMs: 200 },
      onError: (error, { where }) =>
        reports.push({ where, message: error instanceof Error ? error.message : String(error) }),
    });
    const ids: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(audit.record({ action: 'order.update', tenantId: 'cut' }));
    await audit.flush();
    // three idle connections in the pool, all through the proxy
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
    expect(pool.idleCount).toBe(3);

    proxy.cut(1_000);
    // the answered writes of the outage: recorded while nothing reaches the database
    for (let i = 0; i < 3; i++) ids.push(audit.record({ action: 'order.pay', tenantId: 'cut' }));
    await sleep(300);
    expect(audit.stats().stored).toBe(20);
    const during = reports.filter((r) => r.where === 'store-connection');
    expect(during).toHaveLength(1);
    expect(during[0]?.message).toMatch(/connection/i);

    await sleep(900);
    await audit.flush();
    const { rows } = await db.pool.query(
      `SELECT id::text AS id FROM "${db.schema}".audit_events WHERE tenant_id = 'cut'`,
    );
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    expect(await audit.verify({ tenantId: 'cut' })).toMatchObject({ ok: true, checked: 23 });
    // one report for the whole episode, however many pooled connections died
    expect(reports.filter((r) => r.where === 'store-connection')).toHaveLength(1);
    await audit.close();
    await pool.end();
  }, 30_000);

  it('survives a connection cut in the middle of a transaction: the batch fails and is retried, nothing crashes', async () => {
    const pool = new pg.Pool({ connectionString: proxiedUrl, max: 2 });
    const seen: string[] = [];
    // the audit store's transactions: the kit's, the connection's errors to its watch
    const tx = <T>(fn: (conn: SqlClient) => Promise<T>) =>
      withTransaction(pool, fn, { onConnectionError: () => seen.push('store-connection') });
    await expect(
      tx(async (conn) => {
        await conn.query('SELECT 1');
        proxy.cut(200);
        // the checked-out connection dies while no query is running on it
        await sleep(100);
        await conn.query('SELECT 1');
      }),
    ).rejects.toThrow();
    await sleep(300);
    expect(await tx(async (conn) => (await conn.query('SELECT 2 AS n')).rows[0])).toEqual({ n: 2 });
    expect(seen).toContain('store-connection');
    await pool.end();
  });
});
