import type { SqlClient } from '@platform/core/stores';
import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../src/index.js';
import { postgresStore } from '../src/stores/postgres.js';
import { isolatedSchema } from './pg-support.js';

const metrics = recordingMetrics();
let db: Awaited<ReturnType<typeof isolatedSchema>>;

beforeAll(async () => {
  db = await isolatedSchema('audit_rows');
  // the helper's store stays usable, but each test watches the table through its own
  await db.store.close();
});
afterAll(async () => {
  metrics.restore();
  await db.drop();
});

const quiet = { log: false as const, shutdown: false as const, onError: () => undefined };
const GAUGE = 'platform_audit_table_rows';

/** Counts the estimate queries a store sends through `pool`, and can hold them unanswered. */
function countingClient(pool: SqlClient) {
  let estimates = 0;
  let hold: Promise<void> | undefined;
  const client: SqlClient = {
    query: async (text, params) => {
      if (text.includes('reltuples')) {
        estimates++;
        if (hold) await hold;
      }
      return pool.query(text, params);
    },
  };
  return {
    client,
    estimates: () => estimates,
    holdEstimates(until: Promise<void>) {
      hold = until;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('platform_audit_table_rows over PostgreSQL', () => {
  it('reports the cached reltuples estimate, refreshed in the background at most once a minute', async () => {
    const audit = auditTrail({ ...quiet, store: db.store });
    for (let i = 0; i < 25; i++)
      audit.record({ action: 'order.update', tenantId: `rows-${i % 3}` });
    await audit.close();
    await db.pool.query(`ANALYZE "${db.schema}".audit_events`);

    const counting = countingClient(db.pool);
    const store = postgresStore({ client: counting.client, schema: db.schema });
    const label = { table: `${db.schema}.audit_events` };
    // the first scrape has no estimate yet: it starts one and does not wait for it
    expect(metrics.gaugeValue(GAUGE, label)).toBeUndefined();
    expect(counting.estimates()).toBe(1);
    await settle();
    expect(metrics.gaugeValue(GAUGE, label)).toBe(25);
    expect(metrics.gaugeValue(GAUGE, label)).toBe(25);
    expect(counting.estimates()).toBe(1); // within the minute: the cached value, no query

    // a second store over the same table shares the estimate: one series, no new query
    const second = postgresStore({ client: db.pool, schema: db.schema });
    expect(metrics.gaugeSamples(GAUGE).filter(([l]) => l.table === label.table)).toEqual([
      [label, 25],
    ]);
    await second.close();
    await second.close(); // closing twice takes it out once
    expect(metrics.gaugeValue(GAUGE, label)).toBe(25);
    expect(counting.estimates()).toBe(1);

    await store.close();
    expect(metrics.gaugeSamples(GAUGE).filter(([l]) => l.table === label.table)).toEqual([]);
  });

  it('never waits for a database that does not answer, and sends one query at a time', async () => {
    const counting = countingClient(db.pool);
    let release: () => void = () => undefined;
    counting.holdEstimates(new Promise<void>((resolve) => (release = resolve)));
    const store = postgresStore({ client: counting.client, schema: db.schema });
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      metrics.gaugeSamples(GAUGE);
      expect(performance.now() - started).toBeLessThan(50);
    }
    expect(counting.estimates()).toBe(1);
    release();
    await store.close();
  });

  it('reports nothing for a schema whose table does not exist, and a failing query breaks no scrape', async () => {
    const missing = postgresStore({ client: db.pool, schema: 'audit_rows_no_such_schema' });
    const failing = postgresStore({
      client: { query: () => Promise.reject(new Error('connection refused')) },
      schema: 'audit_rows_failing',
    });
    metrics.gaugeSamples(GAUGE);
    await settle();
    const tables = metrics.gaugeSamples(GAUGE).map(([l]) => l.table);
    expect(tables).not.toContain('audit_rows_no_such_schema.audit_events');
    expect(tables).not.toContain('audit_rows_failing.audit_events');
    await missing.close();
    await failing.close();
  });
});
