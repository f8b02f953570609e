import { ConfigError } from '@platform/core';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/stores/postgres.js';
import { dropSchema, pool, testSchema } from './support.js';

const schema = testSchema('mig');
const db = pool();
afterAll(async () => {
  await db.end();
  await dropSchema(schema);
});

const versions = async () =>
  (
    await db.query(
      `SELECT component, version FROM "${schema}".platform_migrations ORDER BY component`,
    )
  ).rows;

describe('PostgreSQL migrations (the store kit)', () => {
  it('records version 1 per table prefix, and a database the earlier releases created migrates in place', async () => {
    const store = postgresStore({ client: db, schema, notifications: false });
    await store.migrate();
    await store.put!({ key: 'new-checkout', serve: { variant: 'on' } } as never);
    await store.close?.();
    const other = postgresStore({ client: db, schema, table: 'team_flags', notifications: false });
    await other.migrate();
    await other.close?.();
    expect(await versions()).toEqual([
      { component: 'flags:platform_flags', version: 1 },
      { component: 'flags:team_flags', version: 1 },
    ]);

    // what a database of an earlier release looks like: the same tables, no version table
    await db.query(`DROP TABLE "${schema}".platform_migrations`);
    const upgraded = postgresStore({ client: db, schema, notifications: false });
    await upgraded.migrate();
    expect((await upgraded.load()).flags.map((f) => f.key)).toEqual(['new-checkout']);
    expect(await upgraded.history!('new-checkout')).toHaveLength(1);
    expect(await versions()).toEqual([{ component: 'flags:platform_flags', version: 1 }]);
    await upgraded.close?.();
  });

  it('rejects schema and table names that are not plain identifiers, or too long a prefix', () => {
    for (const options of [{ schema: 'a-b' }, { table: 'x"y' }, { table: 'a'.repeat(42) }]) {
      expect(() => postgresStore({ client: db, ...options })).toThrow(ConfigError);
    }
    expect(() => postgresStore({ client: db, table: 'a'.repeat(41) })).not.toThrow();
  });
});
