import { join } from 'node:path';
import {
  type DiagnosticsOptions,
  diagnostics,
  type LifecycleOptions,
  manage,
} from '@platform/core';
import type { EvidencePeriod } from '../collectors/types.js';
import { type EvidencePack, evidencePack } from '../pack/generate.js';
import type { PackSettings } from './handler.js';

export interface EvidenceScheduleOptions extends DiagnosticsOptions, LifecycleOptions {
  /** Time between packs (at least one second). */
  everyMs: number;
  pack: PackSettings & { tenant?: string };
  /** Directory the archives are written to, as `evidence-<tenant|all>-<from>-<to>.tar.gz`. */
  outDir: string;
  /** The period a run covers; default the `everyMs` window that ends at the run. */
  period?: (now: Date) => EvidencePeriod;
  /** Called with each pack written (e.g. to upload it). */
  onPack?: (pack: EvidencePack) => void | Promise<void>;
  /** Also generate one pack right away. Default false. */
  runAtStart?: boolean;
}

export interface EvidenceSchedule {
  /** Generates a pack now (or waits for the run in progress); resolves undefined when it failed (reported to onError). */
  runNow(): Promise<EvidencePack | undefined>;
  /** Stops the timer and waits for a run in progress. Idempotent. */
  close(): Promise<void>;
}

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, '-');

/**
 * Generates packs on an interval. Runs never overlap; a failed run is logged and handed to
 * `onError`, never thrown; the timer does not keep the process alive, and `close()` (or
 * core's shutdown) waits for the run in progress.
 *
 * @example
 * const schedule = evidenceSchedule({ everyMs: 86_400_000, outDir: '/var/evidence', pack: { collectors, signingKey } });
 */
export function evidenceSchedule(options: EvidenceScheduleOptions): EvidenceSchedule {
  if (!Number.isInteger(options.everyMs) || options.everyMs < 1000)
    throw new RangeError('evidenceSchedule: everyMs must be an integer of at least 1000');
  const diag = diagnostics('@platform/evidence', options);
  const periodOf =
    options.period ??
    ((now: Date) => ({ from: new Date(now.getTime() - options.everyMs), to: now }));
  let running: Promise<EvidencePack | undefined> | undefined;
  let closed = false;

  const run = async (): Promise<EvidencePack | undefined> => {
    try {
      const period = periodOf(new Date());
      const tenant = options.pack.tenant ?? 'all';
      const out = join(
        options.outDir,
        `evidence-${tenant}-${stamp(period.from)}-${stamp(period.to)}.tar.gz`,
      );
      const pack = await evidencePack({ ...options.pack, period, out });
      await options.onPack?.(pack);
      return pack;
    } catch (error) {
      diag.error('EVIDENCE_SCHEDULE', error, 'scheduled evidence pack failed');
      return undefined;
    }
  };
  const runNow = () => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!closed && !running) void runNow();
  }, options.everyMs);
  timer.unref();
  const schedule: EvidenceSchedule = {
    runNow,
    async close() {
      closed = true;
      clearInterval(timer);
      unregister();
      await running;
    },
  };
  const unregister = manage('evidence-schedule', schedule, options);
  if (options.runAtStart) void runNow();
  return schedule;
}
