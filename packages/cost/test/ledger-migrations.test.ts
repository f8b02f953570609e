import { randomUUID } from 'node:crypto';
import { ConfigError } from '@platform/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresLedger } from '../src/stores/postgres.js';
import { usageRecord } from '../src/testkit/ledger.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: 4,
});
const schema = `cost_m_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe('PostgreSQL ledger migrations (the store kit)', () => {
  it('records version 1, and a database the earlier releases created migrates in place', async () => {
    const versions = async () =>
      (await pool.query(`SELECT component, version FROM "${schema}".platform_migrations`)).rows;
    // two processes starting together
    const [a, b] = [1, 2].map(() => postgresLedger({ client: pool, schema, logger: false }));
    await Promise.all([
      a?.record([usageRecord({ id: 'r1' })]),
      b?.record([usageRecord({ id: 'r2' })]),
    ]);
    expect(await versions()).toEqual([{ component: 'cost', version: 1 }]);

    // what a database of an earlier release looks like: the same tables, no version table
    await pool.query(`DROP TABLE "${schema}".platform_migrations`);
    const upgraded = postgresLedger({ client: pool, schema, logger: false });
    await upgraded.record([usageRecord({ id: 'r3' })]);
    expect(await versions()).toEqual([{ component: 'cost', version: 1 }]);
    const rows = await upgraded.rollups({ fromDay: '2026-01-15', toDay: '2026-01-15' });
    expect(rows).toMatchObject([{ tenant: 'acme', calls: 3, costNanoUsd: 3_000n }]);
    await Promise.all([a, b, upgraded].map((l) => l?.close?.()));
  });

  it('rejects a schema that is not a plain identifier', () => {
    expect(() => postgresLedger({ client: pool, schema: 'cost-ledger' })).toThrow(ConfigError);
  });
});
