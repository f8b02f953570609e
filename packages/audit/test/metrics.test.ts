import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../src/index.js';
import { verifyChain } from '../src/verify.js';
import { isolatedSchema } from './pg-support.js';

const metrics = recordingMetrics();
let db: Awaited<ReturnType<typeof isolatedSchema>>;

beforeAll(async () => {
  db = await isolatedSchema('audit_m');
});
afterEach(() => metrics.clear());
afterAll(async () => {
  metrics.restore();
  await db.drop();
});

const quiet = { log: false as const, shutdown: false as const, onError: () => undefined };

describe('audit metrics over PostgreSQL', () => {
  it('reads the queue depth at scrape time and counts the batches written', async () => {
    const audit = auditTrail({ ...quiet, store: db.store, queue: { batchSize: 2 } });
    for (let i = 0; i < 3; i++) audit.record({ action: 'order.update', tenantId: 'm-depth' });
    expect(metrics.gaugeValue('platform_audit_queue_depth')).toBe(3);
    await audit.flush();
    expect(metrics.gaugeValue('platform_audit_queue_depth')).toBe(0);
    expect(metrics.value('platform_audit_batches_written_total')).toBe(2);
    expect((await db.store.query({ tenantId: 'm-depth' })).events).toHaveLength(3);
    await audit.close();
    expect(metrics.gaugeValue('platform_audit_queue_depth')).toBeUndefined();
  });

  it('counts events dropped from a full queue without a spill file, and spilled ones with one', async () => {
    const dropping = auditTrail({ ...quiet, store: db.store, spill: false, queue: { max: 2 } });
    for (let i = 0; i < 5; i++) dropping.record({ action: 'order.update', tenantId: 'm-drop' });
    expect(metrics.value('platform_audit_events_dropped_total', { reason: 'queue_full' })).toBe(3);
    await dropping.close();

    const path = join(mkdtempSync(join(tmpdir(), 'audit-metrics-')), 'spill.ndjson');
    const spilling = auditTrail({ ...quiet, store: db.store, spill: { path }, queue: { max: 2 } });
    for (let i = 0; i < 5; i++) spilling.record({ action: 'order.update', tenantId: 'm-spill' });
    expect(metrics.value('platform_audit_events_spilled_total')).toBe(3);
    await spilling.flush();
    await spilling.close();
    expect((await db.store.query({ tenantId: 'm-spill' })).events).toHaveLength(5);
    expect(metrics.value('platform_audit_events_dropped_total')).toBe(3); // the first trail's
    expect(() => readFileSync(path)).toThrow(); // replayed and removed
  });

  it('counts a verification that finds tampering', async () => {
    const audit = auditTrail({ ...quiet, store: db.store });
    for (let i = 0; i < 3; i++) audit.record({ action: 'order.update', tenantId: 'm-tamper' });
    await audit.close();
    expect(await verifyChain(db.store, { tenantId: 'm-tamper', publicKeys: {} })).toMatchObject({
      ok: true,
    });
    expect(metrics.value('platform_audit_verify_failures_total')).toBe(0);
    await db.pool.query(
      `UPDATE "${db.schema}".audit_events SET actor_id = 'mallory' WHERE tenant_id = $1 AND seq = 2`,
      ['m-tamper'],
    );
    expect(await verifyChain(db.store, { tenantId: 'm-tamper', publicKeys: {} })).toMatchObject({
      ok: false,
    });
    expect(metrics.value('platform_audit_verify_failures_total')).toBe(1);
  });
});
