#!/usr/bin/env node
// The consumer matrix (`pnpm test:consumers`): packs every package as the release
// would, installs the tarballs with plain npm into a throwaway project outside the
// workspace, and runs the same checks against Express, Fastify and Next.js servers on
// 127.0.0.1, under ES modules and CommonJS, in Vitest and through tsc. Prints a cell
// × check table; exits 1 when any cell fails.
//
//   pnpm test:consumers [--build] [--keep] [--only=express-esm,next-dev]
//
// --build   rebuild the packages even when dist/ is newer than every source file
// --keep    keep the temp directory (its path is printed) for a look afterwards
// --only    run these cells only (names as in the table)
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHECKS, runChecks, warmUp } from './fixture/checks.mjs';
import { buildIsStale, buildPackages, packPackages, workspacePackages } from './pack.mjs';
import { firstError, freePort, run, startServer, tail } from './proc.mjs';

const COLUMNS = ['runs', ...CHECKS, 'dist-only'];
const REGISTRY_DEPS = {
  express: '^5.1.0',
  fastify: '^5.6.0',
  next: '^16.0.0',
  react: '^19.2.0',
  'react-dom': '^19.2.0',
  vitest: '^4.0.0',
  typescript: '~5.9.3',
  '@types/express': '^5.0.3',
  '@types/node': '^20.19.0',
};
const SERVER_CELLS = [
  { cell: 'express-esm', args: ['server.mjs', 'express'] },
  { cell: 'express-cjs', args: ['server.cjs', 'express'] },
  { cell: 'fastify-esm', args: ['server.mjs', 'fastify'] },
  { cell: 'fastify-cjs', args: ['server.cjs', 'fastify'] },
  { cell: 'mixed-require+import', args: ['server.cjs', 'express', '--mixed'] },
];
const NEXT_DEV_CELLS = [
  { cell: 'next-dev-turbopack', args: [] },
  { cell: 'next-dev-webpack', args: ['--webpack'] },
];
const ALL_CELLS = [
  ...SERVER_CELLS.map((c) => c.cell),
  'vitest',
  'tsc-nodenext',
  'tsc-bundler',
  'next-start',
  ...NEXT_DEV_CELLS.map((c) => c.cell),
];

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const only = argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
for (const name of only ?? []) {
  if (!ALL_CELLS.includes(name))
    throw new Error(`--only: no cell ${name} (cells: ${ALL_CELLS.join(', ')})`);
}
const wanted = (cell) => !only || only.includes(cell);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s`;
const say = (message) => console.log(`[${elapsed()}] ${message}`);
const rows = [];

/** Records one cell's outcome: `results` maps column → `{ ok, detail }`. */
function record(cell, results, ms) {
  rows.push({ cell, results, ms });
  const checked = Object.values(results);
  const failed = checked.filter((r) => !r.ok).length;
  say(
    `${cell}: ${failed === 0 ? 'pass' : `FAIL (${failed} of ${checked.length})`} in ${(ms / 1000).toFixed(1)}s`,
  );
}

const fail = (detail) => ({ ok: false, detail });

// Next and the tools read NODE_ENV; a consumer's shell would not have ours.
const { NODE_ENV: _nodeEnv, ...baseEnv } = process.env;
const childEnv = { ...baseEnv, NEXT_TELEMETRY_DISABLED: '1', CI: process.env.CI ?? '1' };

async function prepare() {
  const packages = workspacePackages();
  if (flag('build') || buildIsStale(packages)) {
    say('building the packages (pnpm --filter ./packages/* build)');
    await buildPackages();
  } else {
    say('packages are built (dist/ newer than every source file): no rebuild; --build forces one');
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'platform-consumers-'));
  const tarballs = path.join(tmp, 'tarballs');
  const project = path.join(tmp, 'project');
  mkdirSync(tarballs);
  const packed = await packPackages(packages, tarballs);
  say(`packed ${packed.length} packages with pnpm pack into ${tarballs}`);
  cpSync(path.join(import.meta.dirname, 'fixture'), project, { recursive: true });
  copyFileSync(path.join(project, 'consumer.ts'), path.join(project, 'consumer.mts'));
  copyFileSync(path.join(project, 'consumer.ts'), path.join(project, 'consumer.cts'));
  mkdirSync(path.join(project, 'logs'));
  const dependencies = { ...REGISTRY_DEPS };
  for (const pkg of packed) dependencies[pkg.name] = `file:${pkg.tarball}`;
  writeFileSync(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'platform-consumer', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  say(`npm install in ${project}`);
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: project,
      env: childEnv,
    },
  );
  if (install.code !== 0) throw new Error(`npm install failed:\n${tail(install.output, 30)}`);
  say(`installed in ${(install.ms / 1000).toFixed(1)}s`);
  return { tmp, project };
}

/** Starts one Express/Fastify server, runs the checks, stops it. */
async function serverCell(project, { cell, args }) {
  const t = Date.now();
  const logFile = path.join(project, 'logs', `${cell}.ndjson`);
  const server = await startServer('node', [...args.slice(0, 2), logFile, ...args.slice(2)], {
    cwd: project,
    env: childEnv,
    timeoutMs: 60_000,
    ready: (out) => Number(/\{"listening":(\d+)\}/.exec(out)?.[1]) || false,
  });
  try {
    if (!server.ok) return record(cell, { runs: fail(tail(server.output(), 8)) }, Date.now() - t);
    const checks = await runChecks(`http://127.0.0.1:${server.port}`, { cell, logFile });
    record(cell, { runs: { ok: true }, ...checks }, Date.now() - t);
  } finally {
    await server.stop();
  }
}

async function vitestCell(project) {
  const t = Date.now();
  const file = (name) => path.join(project, 'logs', name);
  writeFileSync(file('vitest-resolved.txt'), '');
  const r = await run('node', ['node_modules/vitest/vitest.mjs', 'run'], {
    cwd: project,
    env: {
      ...childEnv,
      CONSUMER_LOG_FILE: file('vitest.ndjson'),
      CONSUMER_RESULT: file('vitest-result.json'),
      CONSUMER_RESOLVED: file('vitest-resolved.txt'),
    },
    timeoutMs: 180_000,
  });
  if (
    !existsSync(file('vitest-result.json')) ||
    readFileSync(file('vitest-result.json'), 'utf8') === '{}'
  ) {
    return record(
      'vitest',
      { runs: fail(`vitest exit ${r.code}:\n${tail(r.output, 12)}`) },
      Date.now() - t,
    );
  }
  const results = JSON.parse(readFileSync(file('vitest-result.json'), 'utf8'));
  const resolved = readFileSync(file('vitest-resolved.txt'), 'utf8').trim();
  results['dist-only'] ??= fail(`resolved: ${resolved.split('\n').slice(0, 3).join('; ')}`);
  const ran = Object.keys(results).length === COLUMNS.length - 1;
  record(
    'vitest',
    { runs: ran ? { ok: true } : fail(tail(r.output, 12)), ...results },
    Date.now() - t,
  );
}

async function tscCell(project, cell, tsconfig) {
  const r = await run('node', ['node_modules/typescript/bin/tsc', '-p', tsconfig], {
    cwd: project,
    timeoutMs: 180_000,
  });
  record(cell, { runs: r.code === 0 ? { ok: true } : fail(tail(r.output, 12)) }, r.ms);
}

const nextBin = (project) => path.join(project, 'node_modules/next/dist/bin/next');
const nextReady = (out) => /Ready in|ready started server|Local:\s+http/i.test(out);

/** Starts a Next server (start or dev) on a free port, warms its routes, runs the checks. */
async function nextCell(project, cell, command, extraArgs, distDir, t = Date.now()) {
  const app = path.join(project, 'next-app');
  const logFile = path.join(project, 'logs', `${cell}.ndjson`);
  const port = await freePort();
  const server = await startServer(
    'node',
    [nextBin(project), command, '-p', String(port), '-H', '127.0.0.1', ...extraArgs],
    {
      cwd: app,
      env: { ...childEnv, NEXT_DIST_DIR: distDir, CONSUMER_LOG_FILE: logFile },
      timeoutMs: 120_000,
      ready: nextReady,
    },
  );
  try {
    if (!server.ok)
      return record(cell, { runs: fail(firstError(server.output())) }, Date.now() - t);
    const base = `http://127.0.0.1:${port}`;
    try {
      await warmUp(base);
    } catch (err) {
      const out = firstError(server.output());
      return record(cell, { runs: fail(`${err.message}\n${out}`) }, Date.now() - t);
    }
    const checks = await runChecks(base, {
      cell,
      logFile,
      unknownRoute: false,
      itemsRoute: '/api/items/[id]', // Next's own template syntax, as withRequestContext names it
    });
    record(cell, { runs: { ok: true }, ...checks }, Date.now() - t);
  } finally {
    await server.stop();
  }
}

async function nextBuildAndStart(project) {
  const t = Date.now();
  const build = await run('node', [nextBin(project), 'build'], {
    cwd: path.join(project, 'next-app'),
    env: { ...childEnv, NEXT_DIST_DIR: '.next' },
    timeoutMs: 420_000,
  });
  say(`next build: exit ${build.code} in ${(build.ms / 1000).toFixed(1)}s`);
  if (build.code !== 0)
    return record(
      'next-start',
      { runs: fail(`next build:\n${firstError(build.output, 12)}`) },
      Date.now() - t,
    );
  await nextCell(project, 'next-start', 'start', [], '.next', t);
}

/** The columns that apply to a cell: tsc only typechecks, only Vitest checks resolution. */
function columnsOf(cell) {
  if (cell.startsWith('tsc-')) return ['runs'];
  return cell === 'vitest' ? COLUMNS : COLUMNS.filter((c) => c !== 'dist-only');
}

function printMatrix() {
  const order = ALL_CELLS.filter((c) => rows.some((r) => r.cell === c));
  const byCell = new Map(rows.map((r) => [r.cell, r]));
  const width = Math.max(...order.map((c) => c.length), 4);
  const pad = (text, column) => text.padEnd(Math.max(column.length, 7));
  const mark = (row, column) => {
    if (!columnsOf(row.cell).includes(column)) return '-';
    const r = row.results[column];
    return r ? (r.ok ? 'pass' : 'FAIL') : 'not run';
  };
  const header = ['cell'.padEnd(width), ...COLUMNS.map((c) => pad(c, c)), 'time'].join('  ');
  console.log(
    `\nConsumer matrix (packed tarballs, npm install, outside the workspace)\n\n${header}`,
  );
  console.log('-'.repeat(header.length));
  for (const cell of order) {
    const row = byCell.get(cell);
    const marks = COLUMNS.map((c) => pad(mark(row, c), c));
    console.log([cell.padEnd(width), ...marks, `${(row.ms / 1000).toFixed(1)}s`].join('  '));
  }
  console.log(
    '\nruns: the server started and answered (tsc: typechecks; next-start: builds and starts;',
  );
  console.log(
    'vitest: the test file loaded). dist-only: Vitest resolved every @platform import to dist/.',
  );
  const failures = order.flatMap((cell) =>
    Object.entries(byCell.get(cell).results)
      .filter(([, r]) => !r.ok)
      .map(([column, r]) => `${cell} / ${column}: ${r.detail ?? ''}`.replace(/\n/g, '\n    ')),
  );
  if (failures.length > 0) console.log(`\nFailures:\n${failures.map((f) => `  ${f}`).join('\n')}`);
}

async function main() {
  const { tmp, project } = await prepare();
  let status = 0;
  try {
    // Three lanes at once: Next's build and its dev servers mostly wait on each other's
    // CPU, the small cells fit in between.
    await Promise.all([
      wanted('next-start') && nextBuildAndStart(project),
      (async () => {
        for (const c of NEXT_DEV_CELLS) {
          if (wanted(c.cell)) await nextCell(project, c.cell, 'dev', c.args, `.next-${c.cell}`);
        }
      })(),
      (async () => {
        for (const c of SERVER_CELLS) if (wanted(c.cell)) await serverCell(project, c);
        if (wanted('vitest')) await vitestCell(project);
        if (wanted('tsc-nodenext'))
          await tscCell(project, 'tsc-nodenext', 'tsconfig.nodenext.json');
        if (wanted('tsc-bundler')) await tscCell(project, 'tsc-bundler', 'tsconfig.bundler.json');
      })(),
    ]);
  } finally {
    printMatrix();
    const failed = rows
      .filter((r) => Object.values(r.results).some((x) => !x.ok))
      .map((r) => r.cell);
    status = failed.length > 0 ? 1 : 0;
    console.log(
      `\n${status === 0 ? 'All cells passed' : `FAILED cells: ${failed.join(', ')}`} (${elapsed().trim()} in all)`,
    );
    if (flag('keep')) console.log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = status;
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exitCode = 1;
});
