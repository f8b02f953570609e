import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { bounded } from './cli.js';
import type { MicroCase, MicroSuite } from './micro.js';
import { type MicroSample, measure } from './micro-measure.js';
import { median } from './stats.js';

const USAGE = `usage: pnpm --filter @platform/bench micro [suite...] [--duration 2] [--rounds 3] [--warmup 0.5] [--quick]

  suite       suite names (files in src/micro); all when omitted
  --duration  seconds measured per case and round (0.1..60, default 2)
  --rounds    times each case is run, interleaved A B A B (1..20, default 3)
  --warmup    seconds of discarded calls before each run (0..30, default 0.5)
  --quick     smoke test: 0.2 s runs, 1 round, 0.05 s warm-up`;

const RESULTS = new URL('../results/', import.meta.url);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Options {
  suites: string[];
  duration: number;
  rounds: number;
  warmup: number;
  quick: boolean;
}

function parse(argv: string[]): Options | 'help' {
  const { values, positionals } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  return {
    suites: positionals,
    duration: bounded('duration', values.duration, quick ? 0.2 : 2, 0.1, 60),
    rounds: Math.round(bounded('rounds', values.rounds, quick ? 1 : 3, 1, 20)),
    warmup: bounded('warmup', values.warmup, quick ? 0.05 : 0.5, 0, 30),
    quick,
  };
}

async function loadSuites(names: string[]): Promise<MicroSuite[]> {
  const dir = new URL('./micro/', import.meta.url);
  const available = (await readdir(dir).catch(() => []))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown micro suite ${unknown.join(', ')}; available: ${available.join(', ')}`,
    );
  }
  const picked = names.length > 0 ? names : available;
  return Promise.all(
    picked.map(
      async (n) =>
        ((await import(new URL(`${n}.ts`, dir).href)) as { default: MicroSuite }).default,
    ),
  );
}

async function runCase(suite: MicroSuite, c: MicroCase, opts: Options): Promise<MicroSample> {
  const op = await c.setup();
  try {
    await c.verify?.(op);
    return await measure(op, {
      seconds: opts.duration,
      warmup: opts.warmup,
      concurrency: suite.concurrency ?? 1,
    });
  } finally {
    await c.teardown?.();
  }
}

const num = (n: number | undefined, digits = 0) =>
  n !== undefined && Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

async function runSuite(suite: MicroSuite, opts: Options): Promise<void> {
  log(`\n# micro ${suite.name}: ${suite.description}`);
  const runs = new Map<MicroCase, MicroSample[]>(suite.cases.map((c) => [c, []]));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const c of suite.cases) {
      const sample = await runCase(suite, c, opts);
      runs.get(c)?.push(sample);
      log(
        `  round ${round}/${opts.rounds}  ${`${c.group} / ${c.name}`.padEnd(48)} ` +
          `${num(sample.opsPerSec).padStart(12)} ops/s  ${num(sample.nsPerOp, 0).padStart(8)} ns/op` +
          `${num(sample.cpuNsPerOp, 0).padStart(8)} CPU ns/op` +
          (sample.p99Us !== undefined ? `  p99 ${num(sample.p99Us, 1)} µs` : ''),
      );
    }
  }
  const rows = suite.cases.map((c) => {
    const samples = runs.get(c) ?? [];
    const p99s = samples.flatMap((s) => (s.p99Us === undefined ? [] : [s.p99Us]));
    return {
      name: c.name,
      group: c.group,
      baseline: c.baseline === true,
      opsPerSec: median(samples.map((s) => s.opsPerSec)),
      nsPerOp: median(samples.map((s) => s.nsPerOp)),
      cpuNsPerOp: median(samples.map((s) => s.cpuNsPerOp)),
      p99Us: p99s.length > 0 ? median(p99s) : undefined,
      runs: samples,
    };
  });
  const withRatio = rows.map((r) => {
    const base = rows.find((b) => b.group === r.group && b.baseline);
    return {
      ...r,
      ratio: base ? r.opsPerSec / base.opsPerSec : Number.NaN,
      // how many times cheaper in this process's CPU than the baseline
      cpuRatio: base ? base.cpuNsPerOp / r.cpuNsPerOp : Number.NaN,
    };
  });
  const lines = [
    '| group | case | ops/s (median) | ns/op | CPU ns/op | p99 µs | vs baseline | CPU vs baseline |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...withRatio.map(
      (r) =>
        `| ${r.group} | ${r.name} | ${num(r.opsPerSec)} | ${num(r.nsPerOp, 0)} | ` +
        `${num(r.cpuNsPerOp, 0)} | ${num(r.p99Us, 1)} | ` +
        `${r.baseline ? 'baseline' : `${num(r.ratio, 2)}×`} | ` +
        `${r.baseline ? 'baseline' : `${num(r.cpuRatio, 2)}×`} |`,
    ),
  ];
  await mkdir(RESULTS, { recursive: true });
  const file = new URL(`micro-${suite.name}${opts.quick ? '.quick' : ''}.json`, RESULTS);
  const report = {
    suite: suite.name,
    description: suite.description,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    options: { ...opts, suites: undefined, concurrency: suite.concurrency ?? 1 },
    cases: withRatio,
  };
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `\n### micro ${suite.name}\n\n${lines.join('\n')}\n\n` +
      `${opts.rounds} round(s) x ${opts.duration} s (+${opts.warmup} s warm-up), ` +
      `concurrency ${suite.concurrency ?? 1}, Node ${process.version}, ${os.cpus().length} CPUs\n`,
  );
  log(`  wrote ${file.pathname}`);
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  if (opts === 'help') {
    console.log(USAGE);
    return;
  }
  for (const suite of await loadSuites(opts.suites)) await runSuite(suite, opts);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`micro bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
