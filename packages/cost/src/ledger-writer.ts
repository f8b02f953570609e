import type { Diagnostics, Lifecycle } from '@platform/core';
import { BatchWriter, type BatchWriterStats } from '@platform/core/batch-writer';
import type { LedgerStore, UsageRecord } from './store.js';

export interface LedgerQueueOptions {
  /** Records held in memory while the ledger is unreachable. Default 10,000. */
  max: number;
  batchSize: number;
  flushIntervalMs: number;
  /** Longest a settlement waits for the ledger before its record is queued instead. */
  writeTimeoutMs: number;
  /** NDJSON file for what the full queue cannot hold; without it, those are dropped (counted). */
  spill?: { path: string };
}

/** Usage records written since start. `dropped` is the only loss. */
export interface LedgerStats extends Omit<BatchWriterStats, 'recorded' | 'stored' | 'invalid'> {
  /** Records written to the ledger, at settlement or later from the queue or spill file. */
  written: number;
}

/** The ledger's write path: `flush()` writes out the queue, `close()` gives it a last chance. */
export interface UsageWriter extends Lifecycle {
  /** Writes at once while the ledger answers; queues (retried, spilled) while it does not. Never throws. */
  record(record: UsageRecord): Promise<void>;
  stats(): LedgerStats;
}

/** How long `close()` keeps writing the queue before spilling or counting the rest as dropped. */
const CLOSE_TIMEOUT_MS = 4_000;

const toJSON = (r: UsageRecord) => ({ ...r, costNanoUsd: r.costNanoUsd.toString() });
const fromJSON = (v: unknown) => {
  const r = v as UsageRecord & { costNanoUsd: string };
  return { ...r, costNanoUsd: BigInt(r.costNanoUsd) };
};

/**
 * The usage ledger's write path: while the ledger answers, a settlement writes its record
 * directly (it is readable when `settle()` resolves); once a write fails or passes
 * `writeTimeoutMs`, records go through core's batch writer, which retries with backoff,
 * spills past `max` and replays, so an outage shorter than the buffer loses nothing. The
 * outage and every loss are logged with counts. Ledgers are idempotent by record id, so a
 * timed-out write that lands late is not counted twice.
 */
export function usageWriter(
  ledger: LedgerStore,
  o: LedgerQueueOptions,
  diag: Diagnostics,
): UsageWriter {
  let direct = 0;
  let outage = false;
  const lastLine = new Map<string, number>();
  const writer = new BatchWriter<UsageRecord>({
    label: 'cost usage',
    write: async (batch) => {
      await ledger.record(batch);
      if (outage) {
        outage = false;
        diag.info('COST_LEDGER_RECOVERED', 'cost ledger recovered; queued usage records written', {
          ...stats(),
        });
      }
      return batch;
    },
    maxQueue: o.max,
    batchSize: o.batchSize,
    flushIntervalMs: o.flushIntervalMs,
    retryInitialMs: 100,
    retryMaxMs: 5_000,
    spillPath: o.spill?.path,
    toJSON,
    fromJSON,
    onError: (err, where) => {
      if (where === 'store' && outage) return;
      // drops come one per record past the buffer: one line a second, with the counts
      const now = Date.now();
      if (now - (lastLine.get(where) ?? 0) < 1_000) return;
      lastLine.set(where, now);
      diag.error('COST_USAGE_RECORDS_FAILED', err, `cost usage records: ${where} failed`, {
        where,
        ...stats(),
      });
    },
  });
  const stats = (): LedgerStats => {
    const { recorded: _r, stored, invalid: _i, ...rest } = writer.stats;
    return { ...rest, written: direct + stored };
  };
  const enqueue = (record: UsageRecord, err: unknown) => {
    if (!outage) {
      outage = true;
      diag.error(
        'COST_LEDGER_UNAVAILABLE',
        err,
        'cost ledger unavailable; usage records queued until it answers',
        stats(),
      );
    }
    writer.push(record);
  };
  return {
    async record(record) {
      if (writer.busy) return void writer.push(record);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          ledger.record([record]),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer within ${o.writeTimeoutMs} ms`)),
              o.writeTimeoutMs,
            );
          }),
        ]);
        direct++;
      } catch (err) {
        enqueue(record, err);
      } finally {
        clearTimeout(timer);
      }
    },
    flush: () => writer.flush(),
    close: () => writer.close(CLOSE_TIMEOUT_MS),
    stats,
  };
}
