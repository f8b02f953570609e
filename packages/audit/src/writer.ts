import {
  type BatchWriterOptions,
  type BatchWriterStats,
  BatchWriter as CoreBatchWriter,
} from '@platform/core/batch-writer';
import type { PendingEvent, StoredEvent } from './schema.js';
import type { AuditStore } from './store.js';

export interface WriterOptions
  extends Omit<BatchWriterOptions<PendingEvent, StoredEvent>, 'write' | 'label'> {
  store: AuditStore;
}

/** Counters since start. `dropped` is the only loss, and only without a working spill file. */
export type WriterStats = BatchWriterStats;

/** The background half of the trail: core's batch writer over the audit store's `append`. */
export class BatchWriter extends CoreBatchWriter<PendingEvent, StoredEvent> {
  constructor(o: WriterOptions) {
    const { store, ...rest } = o;
    super({ ...rest, label: 'audit', write: (batch) => store.append(batch) });
  }
}
