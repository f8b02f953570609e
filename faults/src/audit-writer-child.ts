/**
 * Run as its own process by scenarios/audit-store.test.ts (an unhandled pool error must
 * end this process, not the test runner): the audit trail set up as the audit README's
 * quick start, over PostgreSQL at FAULTS_PG_URL, recording FAULTS_RATE events a second
 * for FAULTS_DURATION_MS. Prints `ready`, then one `result {...}` JSON line.
 */
import { auditTrail } from '@platform/audit';
import { postgresStore } from '@platform/audit/postgres';
import pg from 'pg';

const env = process.env;
const rate = Number(env.FAULTS_RATE ?? 300);
const durationMs = Number(env.FAULTS_DURATION_MS ?? 12_000);
const tenantId = env.FAULTS_TENANT ?? 'faults';

const store = postgresStore({
  client: new pg.Pool({ connectionString: env.FAULTS_PG_URL, max: 4 }),
  schema: env.FAULTS_SCHEMA,
});
await store.migrate();
const audit = auditTrail({
  store,
  log: false,
  spill: { path: env.FAULTS_SPILL ?? 'audit.spill.ndjson' },
});
console.log('ready');

let recorded = 0;
const started = performance.now();
while (performance.now() - started < durationMs) {
  const due = Math.floor(((performance.now() - started) * rate) / 1000);
  while (recorded < due) {
    if (
      audit.record({
        action: 'faults.event',
        tenantId,
        actor: { type: 'service', id: 'faults' },
        metadata: { i: recorded },
      })
    )
      recorded++;
    else break;
  }
  await new Promise((r) => setTimeout(r, 10));
}
const flushed = await Promise.race([
  audit.flush().then(() => true),
  new Promise<false>((r) => setTimeout(() => r(false), 20_000)),
]);
console.log(`result ${JSON.stringify({ recorded, flushed, stats: audit.stats() })}`);
await audit.close(5_000);
process.exit(0);
