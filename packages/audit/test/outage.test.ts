import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { postgresStore } from '../src/stores/postgres.js';
import { auditTrail } from '../src/trail.js';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';
import { quiet, spillFile } from './trail-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
let proxy: TcpProxy;
let viaProxy: pg.Pool;

beforeAll(async () => {
  db = await isolatedSchema();
  proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
  await proxy.start();
  const url = new URL(DATABASE_URL);
  url.port = String(proxy.port);
  viaProxy = new pg.Pool({
    connectionString: url.toString(),
    max: 2,
    connectionTimeoutMillis: 1000,
  });
  viaProxy.on('error', () => undefined);
});
afterAll(async () => {
  await proxy.stop();
  await viaProxy.end();
  await db.drop();
});

it('stores all 5,000 events recorded while PostgreSQL was unreachable, each exactly once', async () => {
  const store = postgresStore({ client: viaProxy, schema: db.schema });
  const spill = spillFile('audit-outage');
  const audit = auditTrail({
    store,
    ...quiet,
    spill: { path: spill },
    queue: { max: 1000, batchSize: 500 },
    retry: { initialMs: 20, maxMs: 200 },
  });
  await proxy.stop();
  const started = Date.now();
  const ids = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = audit.record({
      action: 'order.update',
      tenantId: i % 2 ? 'outage-a' : 'outage-b',
      metadata: { i },
    });
    if (id) ids.add(id);
  }
  const recordMs = Date.now() - started;
  expect(ids.size).toBe(5000);
  await new Promise((r) => setTimeout(r, 500));
  const during = audit.stats();
  expect(during.stored).toBe(0);
  expect(during.storeFailures).toBeGreaterThan(0);
  expect(during.spilled).toBe(4000);
  expect(during.dropped).toBe(0);

  await proxy.start();
  const back = Date.now();
  await audit.flush();
  const recoveryMs = Date.now() - back;
  const { rows } = await db.pool.query(`SELECT id::text AS id FROM "${db.schema}".audit_events`);
  expect(rows).toHaveLength(5000);
  expect(new Set(rows.map((r) => r.id as string))).toEqual(ids);
  for (const t of ['outage-a', 'outage-b']) {
    expect(await audit.verify({ tenantId: t })).toMatchObject({ ok: true, checked: 2500 });
  }
  expect(audit.stats()).toMatchObject({ stored: 5000, replayed: 4000, dropped: 0 });
  console.log(
    `outage: recorded 5000 in ${recordMs} ms while down; stored all ${recoveryMs} ms after the store returned`,
  );
  await audit.close();
}, 60_000);

it('stores a batch once when the commit succeeded but the acknowledgement was lost', async () => {
  const inner = db.storeWith({});
  let lose = 2;
  const store = {
    ...inner,
    async append(events: Parameters<typeof inner.append>[0]) {
      const stored = await inner.append(events);
      if (lose-- > 0) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      return stored;
    },
  };
  const audit = auditTrail({
    store,
    ...quiet,
    retry: { initialMs: 5, maxMs: 10 },
  });
  const ids = Array.from({ length: 300 }, () =>
    audit.record({ action: 'order.update', tenantId: 'lost-ack' }),
  );
  await audit.flush();
  const { rows } = await db.pool.query(
    `SELECT id::text AS id FROM "${db.schema}".audit_events WHERE tenant_id = 'lost-ack'`,
  );
  expect(rows.map((r) => r.id as string).sort()).toEqual([...ids].sort());
  expect(await audit.verify({ tenantId: 'lost-ack' })).toMatchObject({ ok: true, checked: 300 });
  await audit.close();
});
