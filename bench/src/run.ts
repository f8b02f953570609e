import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { killAll, nextMessage, ofType, spawnTs, stop } from './children.js';
import { type BenchOptions, parseCli, USAGE } from './cli.js';
import type { LoadJob, LoadMessage, LoadSample } from './load.js';
import type { ServerMessage } from './server-entry.js';
import { markdownTable, summarize } from './stats.js';
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
type MeasuringMessage = Extract<LoadMessage, { type: 'measuring' }>;
type ResultMessage = Extract<LoadMessage, { type: 'result' }>;

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
  return Promise.all(
    picked.map(
      async (n) => ((await import(new URL(`${n}.ts`, dir).href)) as { default: Suite }).default,
    ),
  );
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
async function runOnce(
  suite: Suite,
  variant: Variant,
  round: number,
  opts: BenchOptions,
): Promise<LoadSample> {
  const profile = opts.cpuProf
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(suite, variant, round)}`]
    : [];
  const entry = new URL('./server-entry.ts', import.meta.url);
  const server = spawnTs(entry, [variant.server.href], profile);
  try {
    const listening = ofType<ListeningMessage>('listening');
    const what = `server "${variant.name}"`;
    const { port } = await nextMessage(server, listening, SERVER_START_MS, what);
    const origin = `http://${HOST}:${port}`;
    await variant.verify?.(origin);
    const job: LoadJob = {
      url: `${origin}${suite.request.path}`,
      method: suite.request.method ?? 'GET',
      headers: suite.request.headers ?? {},
      connections: opts.connections,
      duration: opts.duration,
      warmup: opts.warmup,
    };
    const load = spawnTs(new URL('./load.ts', import.meta.url), [JSON.stringify(job)]);
    const budget = (opts.warmup + opts.duration) * 1000 + SERVER_START_MS;
    const label = `load against "${variant.name}"`;
    try {
      const result = nextMessage(load, ofType<ResultMessage>('result'), budget, label);
      result.catch(() => {});
      await nextMessage(load, ofType<MeasuringMessage>('measuring'), budget, label);
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

async function runSuite(suite: Suite, opts: BenchOptions): Promise<boolean> {
  log(`\n# ${suite.name}: ${suite.description}`);
  const runs = new Map<Variant, LoadSample[]>(suite.variants.map((v) => [v, []]));
  let clean = true;
  for (let round = 1; round <= opts.rounds; round++) {
    for (const variant of suite.variants) {
      const sample = await runOnce(suite, variant, round, opts);
      runs.get(variant)?.push(sample);
      const bad = sample.non2xx + sample.errors + sample.timeouts;
      if (bad > 0) clean = false;
      log(
        `  round ${round}/${opts.rounds}  ${variant.name.padEnd(28)} ${Math.round(sample.rps)
          .toString()
          .padStart(7)} req/s  p50 ${sample.p50} ms  p99 ${sample.p99} ms  ` +
          `${sample.cpuUs?.toFixed(1)} CPU µs/req` +
          (bad > 0
            ? `  !! ${sample.non2xx} non-2xx, ${sample.errors} errors, ${sample.timeouts} timeouts`
            : ''),
      );
    }
  }
  const rows = summarize(suite, runs);
  const file = new URL(`${suite.name}${opts.quick ? '.quick' : ''}.json`, RESULTS);
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
    },
    options: { ...opts, suites: undefined },
    request: suite.request,
    variants: rows,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `\n### ${suite.name}\n\n${markdownTable(rows)}\n\n` +
      `${opts.rounds} round(s) x ${opts.duration} s (+${opts.warmup} s warm-up), ` +
      `${opts.connections} connections, Node ${process.version}, ${os.cpus().length} CPUs\n`,
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
  for (const suite of suites) clean = (await runSuite(suite, opts)) && clean;
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
