import { counter, gauge } from '@platform/core';
import type { BatchWriterObserver } from '@platform/core/batch-writer';

const queueDepth = gauge({
  name: 'platform_audit_queue_depth',
  help: 'Audit events queued in memory, waiting to be written (all trails of the process).',
});
const batchesWritten = counter({
  name: 'platform_audit_batches_written_total',
  help: 'Batches of audit events the store accepted.',
});
const dropped = counter({
  name: 'platform_audit_events_dropped_total',
  help: 'Audit events that did not reach the trail: queue_full, closed, spill_failed, corrupt_spill, rejected (set aside as bad data).',
  labelNames: ['reason'],
});
const spilled = counter({
  name: 'platform_audit_events_spilled_total',
  help: 'Audit events written to the spill file because the queue was full or the trail closed.',
});
const verifyFailures = counter({
  name: 'platform_audit_verify_failures_total',
  help: 'Chain verifications that found tampering or a gap.',
});

/** The batch writer's reports, as audit metrics. */
export const writerMetrics: BatchWriterObserver = {
  written: () => batchesWritten.inc(),
  spilled: (events) => spilled.inc(undefined, events),
  dropped: (events, reason) => dropped.inc({ reason }, events),
};

export function verifyFailed(): void {
  verifyFailures.inc();
}

// One collector for every open trail, so two trails make one series (their sum), not two.
const queues = new Set<() => number>();
let removeCollector: (() => void) | undefined;

/** Adds a trail's queue length to the depth gauge; returns the function that takes it out (call at close). */
export function watchQueue(depth: () => number): () => void {
  queues.add(depth);
  removeCollector ??= queueDepth.collect(() => {
    let total = 0;
    for (const q of queues) total += q();
    return total;
  });
  return () => {
    queues.delete(depth);
    if (queues.size === 0) {
      removeCollector?.();
      removeCollector = undefined;
    }
  };
}
