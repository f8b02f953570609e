import type { MicroOp } from './micro.js';

export interface MicroSample {
  ops: number;
  seconds: number;
  opsPerSec: number;
  nsPerOp: number;
  /**
   * This process's CPU time (user + system) per operation, in ns: unlike `nsPerOp`, it does not
   * count time the process spent descheduled, so it moves less on a shared machine. For an
   * operation served by another process (Redis), only the client's share.
   */
  cpuNsPerOp: number;
  /** Per-operation latency percentiles in µs; async operations only. */
  p50Us?: number;
  p99Us?: number;
}

const now = () => process.hrtime.bigint();
const cpuNs = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) * 1000;
};
const nsSince = (t0: bigint) => Number(now() - t0);

/** Keeps results alive so the JIT cannot drop the measured call. */
export let sink: unknown;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof (v as PromiseLike<unknown> | null)?.then === 'function';

/** Calls a sync operation in growing batches until `seconds` have passed. */
function measureSync(op: MicroOp, seconds: number): MicroSample {
  const budget = seconds * 1e9;
  const cpu0 = process.cpuUsage();
  let ops = 0;
  let batch = 64;
  const t0 = now();
  let elapsed = 0;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink = op();
    ops += batch;
    elapsed = nsSince(t0);
    if (batch < 1 << 16 && elapsed < budget / 100) batch *= 2;
  }
  return {
    ops,
    seconds: elapsed / 1e9,
    opsPerSec: ops / (elapsed / 1e9),
    nsPerOp: elapsed / ops,
    cpuNsPerOp: cpuNs(cpu0) / ops,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Keeps `concurrency` async operations in flight until `seconds` have passed. */
async function measureAsync(
  op: MicroOp,
  seconds: number,
  concurrency: number,
): Promise<MicroSample> {
  const budget = seconds * 1e9;
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const worker = async () => {
    while (nsSince(t0) < budget) {
      const start = now();
      sink = await op();
      latencies.push(nsSince(start) / 1000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = nsSince(t0);
  const cpu = cpuNs(cpu0);
  const sorted = Float64Array.from(latencies).sort();
  return {
    ops: latencies.length,
    seconds: elapsed / 1e9,
    opsPerSec: latencies.length / (elapsed / 1e9),
    nsPerOp: elapsed / latencies.length,
    cpuNsPerOp: cpu / latencies.length,
    p50Us: percentile(sorted, 0.5),
    p99Us: percentile(sorted, 0.99),
  };
}

/** Warms the operation up, then measures it; async when its first call returns a promise. */
export async function measure(
  op: MicroOp,
  opts: { seconds: number; warmup: number; concurrency: number },
): Promise<MicroSample> {
  const first = op();
  const async = isThenable(first);
  if (async) await first;
  if (opts.warmup > 0) {
    if (async) await measureAsync(op, opts.warmup, opts.concurrency);
    else measureSync(op, opts.warmup);
  }
  return async ? measureAsync(op, opts.seconds, opts.concurrency) : measureSync(op, opts.seconds);
}
