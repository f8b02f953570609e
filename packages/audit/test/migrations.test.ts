import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/stores/postgres.js';
import { auditTrail } from '../src/trail.js';
import { isolatedSchema } from './pg-support.js';

const dbs: Awaited<ReturnType<typeof isolatedSchema>>[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('PostgreSQL migrations (the store kit)', () => {
  it('records version 1, and a database the earlier releases created migrates in place', async () => {
    const db = await isolatedSchema();
    dbs.push(db);
    const versions = () =>
      db.pool.query(
        `SELECT component, version FROM "${db.schema}".platform_migrations ORDER BY version`,
      );
    expect((await versions()).rows).toEqual([{ component: 'audit', version: 1 }]);

    const trail = auditTrail({ store: db.store, log: false, shutdown: false });
    for (let i = 0; i < 5; i++) trail.record({ action: 'order.update', tenantId: 'old' });
    await trail.flush();
    await trail.close();
    // what a database of an earlier release looks like: the same tables, no version table
    await db.pool.query(`DROP TABLE "${db.schema}".platform_migrations`);

    const upgraded = db.storeWith({});
    await upgraded.migrate();
    expect((await versions()).rows).toEqual([{ component: 'audit', version: 1 }]);
    const again = auditTrail({ store: upgraded, log: false, shutdown: false });
    again.record({ action: 'order.pay', tenantId: 'old' });
    await again.flush();
    expect(await again.verify({ tenantId: 'old' })).toMatchObject({ ok: true, checked: 6 });
    await again.close();
  });

  it('rejects a schema that is not a plain identifier, before any statement', () => {
    const db = dbs[0];
    if (!db) throw new Error('runs after the first test');
    expect(() => postgresStore({ client: db.pool, schema: 'bad-name' })).toThrow(
      /postgresStore schema must be a letter or _/,
    );
  });
});
