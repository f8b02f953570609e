import { createGuard } from '@platform/core/stores';

/** The last automatic sweep: when, how many states it deleted, or why it failed. */
export interface SweepReport {
  at: number;
  deleted: number;
  error?: string;
}

export interface Sweeper {
  /** Deletes expired states now, batch after batch; answers how many. */
  sweep(): Promise<number>;
  last(): SweepReport | undefined;
  stop(): void;
}

export interface SweeperOptions {
  /** One statement: deletes up to `batch` expired states, answers how many. */
  deleteBatch: (batch: number) => Promise<number>;
  batch: number;
  /** `false`: no timer, `sweep()` only. */
  intervalMs: number | false;
  /** True while the store's breaker is open: the timer skips its turn. */
  paused: () => boolean;
}

// A sweep may scan a large table: a deadline of its own, far from the 100 ms of a check,
// and no breaker (a slow sweep says nothing about the checks).
const SWEEP_DEADLINE_MS = 30_000;
// At most this many batches per sweep; the next sweep continues.
const MAX_BATCHES = 100;

async function deleteAll(o: SweeperOptions): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const deleted = await o.deleteBatch(o.batch);
    total += deleted;
    if (deleted < o.batch) break;
  }
  return total;
}

const same = (n: number) => n;

/**
 * Sweeps on an unref'd interval, jittered ±10 % so processes started together do not sweep
 * together; a turn is skipped while the last sweep still runs or the store is down.
 */
export function createSweeper(options: SweeperOptions): Sweeper {
  const guard = createGuard(
    { timeoutMs: SWEEP_DEADLINE_MS, maxTimeoutMs: SWEEP_DEADLINE_MS },
    false,
    'PostgreSQL rate-limit sweep',
  );
  const sweep = () => guard.run(deleteAll, options, same);
  let last: SweepReport | undefined;
  let running = false;

  const turn = () => {
    if (running || options.paused()) return;
    running = true;
    sweep()
      .then(
        (deleted) => {
          last = { at: Date.now(), deleted };
        },
        (err: unknown) => {
          const cause = (err as { cause?: unknown }).cause ?? err;
          last = { at: Date.now(), deleted: 0, error: (cause as Error).message ?? String(cause) };
        },
      )
      .finally(() => {
        running = false;
      });
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  if (options.intervalMs !== false) {
    timer = setInterval(turn, Math.round(options.intervalMs * (0.9 + Math.random() * 0.2)));
    timer.unref();
  }
  return {
    sweep,
    last: () => last,
    stop: () => clearInterval(timer),
  };
}
