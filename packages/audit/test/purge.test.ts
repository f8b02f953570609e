import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditTrail } from '../src/trail.js';
import { isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
beforeAll(async () => {
  db = await isolatedSchema();
});
afterAll(() => db.drop());

it('drops expired monthly partitions, keeps those a legal hold needs, and every chain still verifies', async () => {
  let clock = new Date('2019-01-15T10:00:00Z');
  const store = db.storeWith({ now: () => clock });
  const audit = auditTrail({ store, log: false, shutdown: false, defaultTenant: 'ops' });
  const add = async (tenantId: string, n: number) => {
    for (let i = 0; i < n; i++) audit.record({ action: 'doc.update', tenantId });
    await audit.flush();
  };
  await add('free', 5);
  clock = new Date('2019-02-10T10:00:00Z');
  await add('held', 3);
  await add('free', 4);
  clock = new Date();
  await add('held', 2);
  await add('free', 2);

  const partitions = async () =>
    (
      await db.pool.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"${db.schema}".audit_events'::regclass ORDER BY 1`,
      )
    ).rows.map((r) => r.name as string);
  expect(await partitions()).toEqual(
    expect.arrayContaining(['audit_events_p201901', 'audit_events_p201902']),
  );

  const cut = new Date('2019-03-01T00:00:00Z');
  const first = await audit.purge({ before: cut, holds: ['held'] });
  expect(first).toMatchObject({
    removed: 5,
    dropped: ['audit_events_p201901'],
    kept: ['audit_events_p201902'],
  });
  expect(first.checkpoints).toEqual([
    expect.objectContaining({ tenantId: 'free', seq: 5, kind: 'purge' }),
  ]);
  const count = async (t: string) =>
    (
      await db.pool.query(
        `SELECT count(*)::int AS n FROM "${db.schema}".audit_events WHERE tenant_id = $1`,
        [t],
      )
    ).rows[0]?.n;
  expect(await count('held')).toBe(5);
  expect(await count('free')).toBe(6);
  for (const t of ['held', 'free'])
    expect(await audit.verify({ tenantId: t }), t).toMatchObject({ ok: true });

  const second = await audit.purge({ before: cut });
  expect(second).toMatchObject({ removed: 7, dropped: ['audit_events_p201902'], kept: [] });
  expect(await count('held')).toBe(2);
  expect(await count('free')).toBe(2);
  for (const t of ['held', 'free'])
    expect(await audit.verify({ tenantId: t }), t).toMatchObject({ ok: true });

  await audit.flush();
  const purges = await store.query({ tenantId: 'ops', action: 'audit.purge' });
  expect(purges.events).toHaveLength(2);
  expect(purges.events[1]?.metadata).toMatchObject({
    holds: ['held'],
    removed: 5,
    dropped: ['audit_events_p201901'],
  });
  expect(await audit.verify({ tenantId: 'ops' })).toMatchObject({ ok: true, checked: 2 });
});
