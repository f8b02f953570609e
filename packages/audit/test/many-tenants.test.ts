import type { SqlClient } from '@platform/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/stores/postgres.js';
import { sampleEvent } from '../src/testkit.js';
import { auditTrail } from '../src/trail.js';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;

beforeAll(async () => {
  db = await isolatedSchema('audit_many');
});
afterAll(() => db.drop());

/** A pool counting the statements sent in transactions (on checked-out connections). */
function countingPool() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const counter = { statements: 0 };
  const wrapped = new WeakSet<object>();
  const count = <T extends SqlClient>(c: T): T => {
    if (wrapped.has(c)) return c;
    wrapped.add(c);
    const query = c.query.bind(c);
    c.query = ((...args: Parameters<SqlClient['query']>) => {
      counter.statements++;
      return query(...args);
    }) as T['query'];
    return c;
  };
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  // pool.query() checks out with a callback: only the promise form (transactions) is wrapped
  pool.connect = ((...args: unknown[]) =>
    args.length > 0
      ? connect(...args)
      : (connect() as Promise<pg.PoolClient>).then(count)) as typeof pool.connect;
  return { pool, counter };
}

describe('a batch over many tenants', () => {
  it('costs the same statements as a batch over one tenant', async () => {
    const { pool, counter } = countingPool();
    const store = db.storeWith({});
    const counted = postgresStore({ client: pool, schema: db.schema });
    await store.append([sampleEvent('warm-up')]);
    const statementsFor = async (tenants: number) => {
      const before = counter.statements;
      const stored = await counted.append(
        Array.from({ length: 1000 }, (_, i) => sampleEvent(`st-${tenants}-${i % tenants}`)),
      );
      expect(stored).toHaveLength(1000);
      return counter.statements - before;
    };
    await statementsFor(1); // the store's first call also checks this month's partition
    const one = await statementsFor(1);
    const thousand = await statementsFor(1000);
    expect(one).toBeLessThanOrEqual(7);
    expect(thousand).toBe(one);
    await pool.end();
  });

  it('keeps 1,000 chains intact with two writers appending to all of them at once', async () => {
    const tenants = Array.from({ length: 1000 }, (_, i) => `mt-${String(i).padStart(4, '0')}`);
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: DATABASE_URL, max: 2 }));
    const trails = pools.map((pool) =>
      auditTrail({
        store: postgresStore({ client: pool, schema: db.schema }),
        log: false,
        shutdown: false,
        queue: { max: 100_000, batchSize: 500 },
      }),
    );
    // both writers interleave every tenant, in opposite tenant orders: any lock taken per
    // tenant in batch order would deadlock here
    const perWriter = 3;
    for (let round = 0; round < perWriter; round++) {
      for (const [w, trail] of trails.entries()) {
        const order = w === 0 ? tenants : [...tenants].reverse();
        for (const tenantId of order) trail.record({ action: 'doc.update', tenantId });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(trails.map((t) => t.flush()));
    for (const t of trails)
      expect(t.stats()).toMatchObject({ stored: tenants.length * perWriter, dropped: 0 });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT tenant_id)::int AS t FROM "${db.schema}".audit_events WHERE tenant_id LIKE 'mt-%'`,
    );
    expect(rows[0]).toEqual({ n: 2 * perWriter * tenants.length, t: tenants.length });
    const broken: unknown[] = [];
    const audit = trails[0] as (typeof trails)[number];
    for (const tenantId of tenants) {
      const r = await audit.verify({ tenantId });
      if (!r.ok || r.checked !== 2 * perWriter) broken.push(r);
    }
    expect(broken).toEqual([]);
    await Promise.all(trails.map((t) => t.close()));
    await Promise.all(pools.map((p) => p.end()));
  }, 120_000);
});
