import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ablationTable, summarizeAblations } from './ablation.js';
import { type DriverMessage, killAll, nextMessage, ofType, spawnTs, stop } from './children.js';
import { type BenchOptions, parseCli, USAGE } from './cli.js';
import type { LoadJob, LoadSample } from './load.js';
import type { LatencySample, ProbeJob } from './probe.js';
import type { ServerMessage } from './server-entry.js';
import {
  comparisonTable,
  latencyTable,
  markdownTable,
  summarize,
  summarizeComparisons,
  summarizeLatency,
} from './stats.js';
import type { Suite, Variant } from './suite.js';

const HOST = '127.0.0.1';
const SERVER_START_MS = 30_000;
const RESULTS = new URL('../results/', import.meta.url);
const PROFILES = new URL('profiles/', RESULTS);

/** One folder per run: the loader's worker thread writes a profile of its own beside the main one. */
const profileDir = (suite: Suite, variant: Variant, round: number) =>
  fileURLToPath(
    new URL(`${suite.name}/${variant.name.replace(/[^A-Za-z0-9]+/g, '-')}-r${round}/`, PROFILES),
  );

type ListeningMessage = Extract<ServerMessage, { type: 'listening' }>;
type CpuMessage = Extract<ServerMessage, { type: 'cpu' }>;

/** The fields every sample has, whichever child measured it. */
type Counted = {
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  cpuUs?: number;
};

/** Where a load child sends its requests, and what they look like. */
type Target = Pick<LoadJob, 'url' | 'method' | 'headers'>;

/** A way of measuring: which child loads the server, and how its samples are reported. */
interface Mode<S extends Counted> {
  /** Inserted in the results file name: `<suite><tag>.json`. */
  tag: string;
  /** The child that loads `url`, its job, and how long it may take. */
  driver(
    target: Target,
    opts: BenchOptions,
  ): {
    entry: URL;
    job: LoadJob | ProbeJob;
    budgetMs: number;
  };
  /** One run's figures for the progress line. */
  line(sample: S): string;
  report(
    suite: Suite,
    runs: Map<Variant, S[]>,
  ): { rows: unknown; comparisons?: unknown; ablations?: unknown; table: string };
  footer(opts: BenchOptions): string;
}

const throughput: Mode<LoadSample> = {
  tag: '',
  driver: (target, opts) => ({
    entry: new URL('./load.ts', import.meta.url),
    job: {
      ...target,
      connections: opts.connections,
      duration: opts.duration,
      warmup: opts.warmup,
    },
    budgetMs: (opts.warmup + opts.duration) * 1000 + SERVER_START_MS,
  }),
  line: (s) =>
    `${Math.round(s.rps).toString().padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms`,
  report(suite, runs) {
    const rows = summarize(suite, runs);
    const comparisons = summarizeComparisons(suite, runs);
    const ablations = summarizeAblations(suite, runs);
    const tables = [markdownTable(rows)];
    if (comparisons.length > 0) tables.push(comparisonTable(comparisons));
    if (ablations.length > 0) tables.push(ablationTable(ablations));
    return { rows, comparisons, ablations, table: tables.join('\n\n') };
  },
  footer: (opts) =>
    `${opts.rounds} round(s) x ${opts.duration} s (+${opts.warmup} s warm-up), ` +
    `${opts.connections} connections`,
};

const latency: Mode<LatencySample> = {
  tag: '.latency',
  driver: (target, opts) => ({
    entry: new URL('./probe.ts', import.meta.url),
    job: {
      ...target,
      requests: opts.requests,
      warmup: opts.warmup,
      rate: opts.rate,
    },
    // a request taking 10 ms on average means something is wrong
    budgetMs:
      (opts.warmup + opts.requests * Math.max(0.01, opts.rate > 0 ? 2 / opts.rate : 0)) * 1000 +
      SERVER_START_MS,
  }),
  line: (s) =>
    `p50 ${us(s.p50)} µs  p90 ${us(s.p90)} µs  p99 ${us(s.p99)} µs  p99.9 ${us(s.p999)} µs`,
  report(suite, runs) {
    const rows = summarizeLatency(suite, runs);
    return { rows, table: latencyTable(rows) };
  },
  footer: (opts) =>
    `${opts.rounds} round(s) x ${opts.requests} requests one at a time over one keep-alive ` +
    `connection (${opts.rate > 0 ? `${opts.rate} req/s` : 'back to back'}, ` +
    `+${opts.warmup} s warm-up)`,
};

const us = (n: number) => Math.round(n).toString().padStart(5);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function loadSuites(names: string[]): Promise<Suite[]> {
  const dir = new URL('./suites/', import.meta.url);
  const available = (await readdir(dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown suite ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  const picked = names.length > 0 ? names : available;
  const suites = await Promise.all(
    picked.map(
      async (n) => ((await import(new URL(`${n}.ts`, dir).href)) as { default: Suite }).default,
    ),
  );
  return names.length > 0 ? suites : suites.filter((suite) => !suite.explicit);
}

const CPU_ANSWER_MS = 5000;

const cpuMicros = async (server: ChildProcess) => {
  const answer = nextMessage(server, ofType<CpuMessage>('cpu'), CPU_ANSWER_MS, 'server cpu');
  server.send('cpu');
  const { usage } = await answer;
  return usage.user + usage.system;
};

/**
 * One run: a fresh server process, a check, then load from a separate process. The
 * server's CPU time is read when the warm-up ends and when the load ends.
 */
async function runOnce<S extends Counted>(
  suite: Suite,
  variant: Variant,
  round: number,
  opts: BenchOptions,
  mode: Mode<S>,
): Promise<S> {
  const profile = opts.cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(suite, variant, round)}`]
    : [];
  const entry = new URL('./server-entry.ts', import.meta.url);
  const server = spawnTs(entry, [variant.server.href], profile, variant.env);
  try {
    const listening = ofType<ListeningMessage>('listening');
    const what = `server "${variant.name}"`;
    const { port } = await nextMessage(server, listening, SERVER_START_MS, what);
    const origin = `http://${HOST}:${port}`;
    await variant.verify?.(origin);
    const { method = 'GET', path, headers = {} } = suite.request;
    const driver = mode.driver({ url: `${origin}${path}`, method, headers }, opts);
    const load = spawnTs(driver.entry, [JSON.stringify(driver.job)]);
    const label = `load against "${variant.name}"`;
    try {
      type Result = Extract<DriverMessage<S>, { type: 'result' }>;
      const result = nextMessage(load, ofType<Result>('result'), driver.budgetMs, label);
      result.catch(() => {});
      const measuring = ofType<{ type: 'measuring' }>('measuring');
      await nextMessage(load, measuring, driver.budgetMs, label);
      const before = await cpuMicros(server);
      const { sample } = await result;
      const after = await cpuMicros(server);
      return { ...sample, cpuUs: (after - before) / Math.max(1, sample.requests) };
    } finally {
      await stop(load);
    }
  } finally {
    await stop(server);
  }
}

async function runSuite<S extends Counted>(
  suite: Suite,
  opts: BenchOptions,
  mode: Mode<S>,
): Promise<boolean> {
  log(`\n# ${suite.name}: ${suite.description}`);
  const runs = new Map<Variant, S[]>(suite.variants.map((v) => [v, []]));
  let clean = true;
  for (let round = 1; round <= opts.rounds; round++) {
    for (const variant of suite.variants) {
      const sample = await runOnce(suite, variant, round, opts, mode);
      runs.get(variant)?.push(sample);
      const bad = sample.non2xx + sample.errors + sample.timeouts;
      if (bad > 0) clean = false;
      log(
        `  round ${round}/${opts.rounds}  ${variant.name.padEnd(40)} ${mode.line(sample)}  ` +
          `${sample.cpuUs?.toFixed(1)} CPU µs/req` +
          (bad > 0
            ? `  !! ${sample.non2xx} non-2xx, ${sample.errors} errors, ${sample.timeouts} timeouts`
            : ''),
      );
    }
  }
  const { rows, comparisons, ablations, table } = mode.report(suite, runs);
  const file = new URL(`${suite.name}${mode.tag}${opts.quick ? '.quick' : ''}.json`, RESULTS);
  await mkdir(RESULTS, { recursive: true });
  const report = {
    suite: suite.name,
    description: suite.description,
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${os.release()}`,
      loadAverage: os.loadavg(),
    },
    options: { ...opts, suites: undefined },
    request: suite.request,
    variants: rows,
    comparisons,
    ablations,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `\n### ${suite.name}\n\n${table}\n\n${mode.footer(opts)}, ` +
      `Node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${os.loadavg()[0]?.toFixed(1)}\n`,
  );
  log(`  wrote ${file.pathname}`);
  return clean;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = parseCli(argv[0] === '--' ? argv.slice(1) : argv);
  if (opts === 'help') {
    console.log(USAGE);
    return 0;
  }
  const suites = await loadSuites(opts.suites);
  let clean = true;
  for (const suite of suites) {
    const ok = await (opts.latency
      ? runSuite(suite, opts, latency)
      : runSuite(suite, opts, throughput));
    clean = ok && clean;
  }
  if (!clean) log('\nsome runs saw non-2xx responses, socket errors or timeouts (see above)');
  return clean ? 0 : 1;
}

process.on('exit', killAll);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping`);
    killAll();
    process.exit(code);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    killAll();
    process.exitCode = 1;
  },
);
