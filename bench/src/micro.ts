/** The operation measured: return a promise for an async operation, anything else for a sync one. */
export type MicroOp = () => unknown;

/** One implementation of an operation, e.g. `ours: memory store` or `rate-limiter-flexible`. */
export interface MicroCase {
  /** Shown in the table. */
  name: string;
  /** Cases of one group are compared with that group's baseline. */
  group: string;
  /** The peer (or floor) the other cases of the group are divided by. Exactly one per group. */
  baseline?: boolean;
  /** Builds the state once per run and returns the operation to measure. */
  setup: () => MicroOp | Promise<MicroOp>;
  /** Checked once against the operation before it is measured; throw to fail. */
  verify?: (op: MicroOp) => void | Promise<void>;
  /** Releases what setup built (connections, timers). */
  teardown?: () => void | Promise<void>;
}

export interface MicroSuite {
  /** Also the results file name: `bench/results/micro-<name>.json`. */
  name: string;
  /** One sentence: what this suite compares. */
  description: string;
  /** Async operations kept in flight at once (default 1). Sync operations ignore it. */
  concurrency?: number;
  cases: MicroCase[];
}

/**
 * Declares an in-process micro-benchmark suite; a file under src/micro that
 * default-exports one is picked up by name by `pnpm --filter @platform/bench micro`.
 *
 * @example
 * export default defineMicroSuite({
 *   name: 'flags',
 *   description: 'one boolean flag evaluated: ours vs GrowthBook',
 *   cases: [
 *     { name: 'growthbook', group: 'boolean', baseline: true, setup: () => () => gb.isOn('f') },
 *     { name: 'ours', group: 'boolean', setup: () => () => flags.isEnabled('f') },
 *   ],
 * });
 */
export function defineMicroSuite(suite: MicroSuite): MicroSuite {
  const groups = new Set(suite.cases.map((c) => c.group));
  for (const group of groups) {
    const baselines = suite.cases.filter((c) => c.group === group && c.baseline);
    if (baselines.length !== 1) {
      throw new Error(
        `micro suite ${suite.name}: group "${group}" needs exactly one baseline case`,
      );
    }
  }
  if (suite.concurrency !== undefined && !(suite.concurrency >= 1 && suite.concurrency <= 1000)) {
    throw new Error(`micro suite ${suite.name}: concurrency must be 1..1000`);
  }
  return suite;
}
