import { randomUUID } from 'node:crypto';
import { type PendingEvent, SCHEMA_VERSION } from '@platform/audit';
import { type PostgresAuditStore, postgresStore } from '@platform/audit/postgres';
import { type SqlClient, uuidv7 } from '@platform/core';
import { defineMicroSuite } from '../micro.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 500;

type Pool = SqlClient & { end(): Promise<void> };
// bench has no @types/pg: load it untyped and describe the two members used
const newPool = async (): Promise<Pool> => {
  const pg = (await import('pg' as string)) as { default: { Pool: new (o: object) => Pool } };
  return new pg.default.Pool({ connectionString: DATABASE_URL, max: 8 });
};

const event = (tenantId: string, i: number): PendingEvent => ({
  schemaVersion: SCHEMA_VERSION,
  id: uuidv7(),
  tenantId,
  occurredAt: new Date().toISOString(),
  action: 'invoice.update',
  crud: 'u',
  outcome: 'success',
  severity: 'info',
  actor: { type: 'user', id: `u${i % 50}` },
  targets: [{ type: 'invoice', id: `inv_${i}` }],
  source: { ip: '203.0.113.7', userAgent: 'bench' },
  request: { method: 'PUT', route: '/invoices/:id', requestId: randomUUID() },
  metadata: { amount: i },
});

/**
 * One op = one batch of 500 events appended into PostgreSQL through the store: head row
 * locked, duplicates checked, chain hashed, multi-row INSERT, head updated, one
 * transaction. Events/s = ops/s × 500. Each case gets its own schema, dropped afterwards.
 */
function appendCase(name: string, tenants: number, baseline = false, spread = false) {
  let pool: Pool | undefined;
  let schema = '';
  return {
    name,
    group: 'append 500 events',
    baseline,
    async setup() {
      pool = await newPool();
      schema = `bench_audit_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      const store: PostgresAuditStore = postgresStore({ client: pool, schema });
      await store.migrate();
      let n = 0;
      // spread: every batch holds events of many tenants (event i of a batch goes to tenant
      // (n + i) % tenants), as one writer sees them when a thousand tenants are active at once
      return () => {
        const k = n++;
        return store.append(
          Array.from({ length: BATCH }, (_, i) =>
            event(`t${spread ? (k * BATCH + i) % tenants : k % tenants}`, i),
          ),
        );
      };
    },
    async verify(op: () => unknown) {
      const stored = (await op()) as unknown[];
      if (stored.length !== BATCH) throw new Error(`appended ${stored.length} of ${BATCH}`);
    },
    async teardown() {
      await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool?.end();
    },
  };
}

export default defineMicroSuite({
  name: 'audit',
  description: `batches of ${BATCH} audit events appended into PostgreSQL with the per-tenant hash chain (events/s = ops/s × ${BATCH})`,
  concurrency: 4,
  cases: [
    appendCase('1 tenant (one chain, serialized by its head lock)', 1, true),
    appendCase('8 tenants (parallel chains)', 8),
    appendCase('each batch over 50 tenants', 50, false, true),
    appendCase('each batch over 1,000 tenants (500 of them per batch)', 1000, false, true),
  ],
});
