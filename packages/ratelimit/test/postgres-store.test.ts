import { StoreUnavailableError } from '@platform/core/stores';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/stores/postgres.js';
import { dropSchema, pool, runSchema } from './postgres-support.js';

const schemas: string[] = [];
let db: pg.Pool;
beforeAll(() => {
  db = pool();
});
afterAll(async () => {
  for (const s of schemas) await dropSchema(db, s);
  await db.end();
});

const fresh = (label: string) => {
  const schema = runSchema(label);
  schemas.push(schema);
  return schema;
};

const check = (key: string, o: { windowMs?: number; blockMs?: number } = {}) => ({
  key,
  scope: 's',
  subject: key,
  algorithm: 'fixed' as const,
  limit: 5,
  windowMs: o.windowMs ?? 60_000,
  burst: 5,
  cost: 1,
  blockMs: o.blockMs ?? 0,
});

describe('postgresStore', () => {
  it('refuses a schema that is not a plain identifier, naming the option', () => {
    expect(() => postgresStore({ client: db, schema: 'x"; DROP TABLE y; --' })).toThrow(
      /postgresStore schema/,
    );
  });

  it('says how to create its tables when they are missing and migrate is off', async () => {
    const store = postgresStore({
      client: db,
      schema: fresh('missing'),
      migrate: false,
      timeoutMs: 5000,
    });
    const err = await store.consume([check('a')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(((err as Error).cause as Error).message).toMatch(/call store\.migrate\(\)/);
    store.shutdown();
  });

  it('migrates once when several stores start on one schema together', async () => {
    const schema = fresh('together');
    const stores = Array.from({ length: 4 }, () =>
      postgresStore({ client: db, schema, timeoutMs: 5000 }),
    );
    await Promise.all(stores.map((s) => s.migrate()));
    const answers = await Promise.all(stores.map((s) => s.consume([check('shared')])));
    expect(answers.map((d) => d.outcomes[0]?.remaining).sort()).toEqual([1, 2, 3, 4]);
    for (const s of stores) s.shutdown();
  });

  it('sweeps expired states and keeps live ones, blocks included', async () => {
    const schema = fresh('sweep');
    const store = postgresStore({ client: db, schema, sweepIntervalMs: false, timeoutMs: 5000 });
    await store.migrate();
    await store.consume([check('short-1', { windowMs: 50 })]);
    await store.consume([check('short-2', { windowMs: 50 })]);
    await store.consume([check('long', { windowMs: 60_000 })]);
    // limit 0 refuses at once, so the block starts whatever the machine's speed
    await store.consume([{ ...check('blocked', { windowMs: 50, blockMs: 60_000 }), limit: 0 }]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.sweep()).toBe(2);
    const { rows } = await db.query(`SELECT key FROM "${schema}".ratelimit_state ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(['blocked', 'long']);
    expect(await store.sweep()).toBe(0);
    store.shutdown();
  });

  it('refuses to run under REPEATABLE READ, where a waiting step would read stale counts', async () => {
    const schema = fresh('isolation');
    await postgresStore({ client: db, schema }).migrate();
    const rr = pool(undefined, {
      max: 1,
      options: '-c default_transaction_isolation=repeatable\\ read',
    });
    const store = postgresStore({ client: rr, schema, migrate: false, timeoutMs: 5000 });
    const err = await store.consume([check('a')]).catch((e: unknown) => e);
    expect(((err as Error).cause as Error).message).toMatch(/needs READ COMMITTED/);
    store.shutdown();
    await rr.end();
  });

  it('reports its breaker, deadline and last sweep', async () => {
    const store = postgresStore({
      client: db,
      schema: fresh('health'),
      migrate: false,
      timeoutMs: 80,
    });
    expect(store.health()).toEqual({ breaker: 'closed', timeoutMs: 80, lastSweep: undefined });
    store.shutdown();
  });
});
