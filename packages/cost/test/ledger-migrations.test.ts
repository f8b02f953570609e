import { randomUUID } from 'node:crypto';
import { ConfigError } from '@platform/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../src/store.js';
import { postgresLedger } from '../src/stores/postgres.js';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  max: 4,
});
const schema = `cost_m_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

const record = (id: string): UsageRecord => ({
  id,
  at: Date.UTC(2026, 0, 15, 12),
  day: '2026-01-15',
  tenant: 'acme',
  provider: 'openai',
  model: 'gpt-4o-mini',
  usage: {
    inputTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 5,
    reasoningTokens: 0,
  },
  totalTokens: 15,
  costNanoUsd: 1_000n,
  priceVersion: 'v1',
  estimated: false,
  outcome: 'ok',
});

describe('PostgreSQL ledger migrations (the store kit)', () => {
  it('records version 1, and a database the earlier releases created migrates in place', async () => {
    const versions = async () =>
      (await pool.query(`SELECT component, version FROM "${schema}".platform_migrations`)).rows;
    // two processes starting together
    const [a, b] = [1, 2].map(() => postgresLedger({ client: pool, schema, logger: false }));
    await Promise.all([a?.record([record('r1')]), b?.record([record('r2')])]);
    expect(await versions()).toEqual([{ component: 'cost', version: 1 }]);

    // what a database of an earlier release looks like: the same tables, no version table
    await pool.query(`DROP TABLE "${schema}".platform_migrations`);
    const upgraded = postgresLedger({ client: pool, schema, logger: false });
    await upgraded.record([record('r3')]);
    expect(await versions()).toEqual([{ component: 'cost', version: 1 }]);
    const rows = await upgraded.rollups({ fromDay: '2026-01-15', toDay: '2026-01-15' });
    expect(rows).toMatchObject([{ tenant: 'acme', calls: 3, costNanoUsd: 3_000n }]);
    await Promise.all([a, b, upgraded].map((l) => l?.close?.()));
  });

  it('rejects a schema that is not a plain identifier', () => {
    expect(() => postgresLedger({ client: pool, schema: 'cost-ledger' })).toThrow(ConfigError);
  });
});
