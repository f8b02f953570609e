import { parseArgs } from 'node:util';

export interface BenchOptions {
  suites: string[];
  /** Seconds measured per run. */
  duration: number;
  /** Seconds of discarded load before each measured run. */
  warmup: number;
  rounds: number;
  connections: number;
  quick: boolean;
  /** Write a V8 CPU profile of every server process to bench/results/profiles. */
  cpuProf: boolean;
  /** Latency mode: one request at a time from a probe instead of autocannon's load. */
  latency: boolean;
  /** Latency mode: requests measured per run. */
  requests: number;
  /** Latency mode: requests per second, 0 for back to back. */
  rate: number;
}

export const USAGE = `usage: pnpm bench [suite...] [--duration 10] [--rounds 3] [--connections 50] [--warmup 2] [--quick]
       pnpm bench [suite...] --latency [--requests 20000] [--rate 0] [--rounds 3] [--warmup 2]

  suite          suite names (files in src/suites); all when omitted
  --duration     seconds measured per run (1..120, default 10)
  --rounds       times each variant is run, interleaved A B A B (1..20, default 3)
  --connections  concurrent autocannon connections (1..1000, default 50)
  --warmup       seconds of discarded load before each run (0..30, default 2)
  --cpu-prof     write a CPU profile of each server run to bench/results/profiles
  --quick        smoke test: 1 s runs, 1 round, 0.5 s warm-up (flags given explicitly still win)

  --latency      latency mode: one request at a time over one keep-alive connection, timed
                 in µs; prints p50/p90/p99/p99.9 and the latency added to the kind's baseline
  --requests     latency mode: requests measured per run (100..1000000, default 20000; quick: 500)
  --rate         latency mode: requests per second, paced (0..1000; default 0: back to back)`;

export function bounded(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`--${flag} must be a number from ${min} to ${max}, got "${raw}"\n\n${USAGE}`);
  }
  return n;
}

/** Parses the command line; throws with the usage text on a bad flag. */
export function parseCli(argv: string[]): BenchOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      latency: { type: 'boolean', default: false },
      requests: { type: 'string' },
      rate: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  return {
    suites: positionals,
    duration: bounded('duration', values.duration, quick ? 1 : 10, 1, 120),
    rounds: Math.round(bounded('rounds', values.rounds, quick ? 1 : 3, 1, 20)),
    connections: Math.round(bounded('connections', values.connections, 50, 1, 1000)),
    warmup: bounded('warmup', values.warmup, quick ? 0.5 : 2, 0, 30),
    quick,
    cpuProf: values['cpu-prof'] === true,
    latency: values.latency === true,
    requests: Math.round(bounded('requests', values.requests, quick ? 500 : 20_000, 100, 1e6)),
    rate: bounded('rate', values.rate, 0, 0, 1000),
  };
}
