#!/usr/bin/env node
// Measures what installing each @platform package costs a user: packs the built
// packages with `pnpm pack` (the tarball is what ships), installs each tarball into an
// empty npm project outside the workspace with plain `npm install` (its @platform
// dependencies from their own tarballs, since nothing is on npm yet; optional peers,
// frameworks included, are not installed, as npm does by default), imports the default
// entry there, and reports the packed size, the package's own unpacked size and the
// whole node_modules. Fails when a package exceeds its budget in install-size.json.
//
//   node scripts/install-size.mjs [--markdown] [--write-budgets] [--keep] [name ...]
//
// Run after `pnpm build`. npm uses its cache first (--prefer-offline).
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const budgetsFile = join(import.meta.dirname, 'install-size.json');
const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const writeBudgets = args.includes('--write-budgets');
const keep = args.includes('--keep');
const only = args.filter((a) => !a.startsWith('--'));
const CONCURRENCY = 4;
// Budgets leave room for patch releases of dependencies, not for new dependencies.
const HEADROOM = 1.15;

/** npm and pnpm pass their config to child processes as npm_config_*: start npm clean. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(k)) env[k] = v;
  }
  return env;
}

/** Bytes of every file under dir (apparent sizes, so the figure does not depend on the disk). */
async function sizeOf(dir) {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await sizeOf(p);
    else if (e.isFile()) total += (await lstat(p)).size;
  }
  return total;
}

/** Installed packages: directories holding a package.json under any node_modules. */
async function countPackages(nodeModules) {
  let n = 0;
  for (const e of await readdir(nodeModules, { withFileTypes: true }).catch(() => [])) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dirs = e.name.startsWith('@')
      ? (await readdir(join(nodeModules, e.name))).map((s) => join(nodeModules, e.name, s))
      : [join(nodeModules, e.name)];
    for (const d of dirs) {
      n += 1;
      n += await countPackages(join(d, 'node_modules'));
    }
  }
  return n;
}

async function workspacePackages() {
  const out = new Map();
  for (const dir of await readdir(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    out.set(pkg.name, { name: pkg.name, dir: pkgDir, pkg });
  }
  return out;
}

/** The package and every @platform package it depends on, transitively. */
function closure(name, all, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const [dep, range] of Object.entries(all.get(name).pkg.dependencies ?? {})) {
    if (String(range).startsWith('workspace:')) closure(dep, all, seen);
  }
  return seen;
}

async function pool(items, fn) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

// Run in the probe project: imports and requires every subpath, prints what failed.
const PROBE = `
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/');
const failures = [];
for (const spec of JSON.parse(process.argv[1])) {
  for (const [how, load] of [['import', (s) => import(s)], ['require', async (s) => require(s)]]) {
    try { await load(spec); } catch (e) { failures.push({ spec, how, code: e.code, message: String(e.message).split('\\n')[0] }); }
  }
}
console.log(JSON.stringify(failures));
process.exit(0);
`;
// Entries that must load with only what npm installed (frameworks are imported for types only).
const DEFAULT_ENTRIES = new Set(['.', './express', './fastify', './next']);

/**
 * The default entries load with nothing but what npm installed; any other entry may fail
 * only for want of one of the package's optional peers (e.g. ./pdf without pdf-lib).
 */
async function checkEntries(project, pkg) {
  const subpaths = Object.keys(pkg.exports ?? { '.': null }).filter((s) => !s.endsWith('.json'));
  const specs = subpaths.map((s) => pkg.name + s.slice(1));
  const { stdout } = await run(
    'node',
    ['--input-type=module', '-e', PROBE, JSON.stringify(specs)],
    {
      cwd: project,
    },
  );
  const optionalPeers = Object.keys(pkg.peerDependenciesMeta ?? {}).filter(
    (p) => pkg.peerDependenciesMeta[p].optional,
  );
  const bad = JSON.parse(stdout).filter((f) => {
    const sub = `.${f.spec.slice(pkg.name.length)}`;
    if (DEFAULT_ENTRIES.has(sub)) return true;
    const missingPeer =
      f.code === 'ERR_MODULE_NOT_FOUND' || f.code === 'MODULE_NOT_FOUND'
        ? optionalPeers.find((p) => f.message.includes(`'${p}'`) || f.message.includes(`'${p}/`))
        : undefined;
    return missingPeer === undefined;
  });
  if (bad.length) {
    throw new Error(
      `${pkg.name}: entries fail to load without optional peers:\n${bad
        .map((f) => `  ${f.how} ${f.spec}: ${f.message}`)
        .join('\n')}`,
    );
  }
}

const mb = (bytes) => (bytes / 1e6).toFixed(2);
const kb = (bytes) => `${Math.round(bytes / 1e3)} kB`;

async function main() {
  const started = Date.now();
  const all = await workspacePackages();
  const names = only.length
    ? only.map((n) => (n.startsWith('@') ? n : `@platform/${n}`))
    : [...all.keys()].sort();
  for (const n of names) if (!all.has(n)) throw new Error(`no workspace package ${n}`);
  const budgets = JSON.parse(await readFile(budgetsFile, 'utf8').catch(() => '{}'));

  const work = await mkdtemp(join(tmpdir(), 'platform-install-size-'));
  try {
    const tarballs = new Map();
    const needed = [...new Set(names.flatMap((n) => [...closure(n, all)]))];
    await pool(needed, async (n) => {
      const { dir } = all.get(n);
      try {
        await lstat(join(dir, 'dist'));
      } catch {
        throw new Error(`${n} is not built: run pnpm build first`);
      }
      const dest = join(work, 'tarballs', n.replace('/', '+'));
      await mkdir(dest, { recursive: true });
      await run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir, env: cleanEnv() });
      const [file] = await readdir(dest);
      tarballs.set(n, join(dest, file));
    });

    const rows = await pool(names, async (n) => {
      const project = join(work, 'projects', n.replace('/', '+'));
      await mkdir(project, { recursive: true });
      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'size-probe', private: true, type: 'module' }),
      );
      const deps = [...closure(n, all)].map((d) => tarballs.get(d));
      await run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...deps],
        { cwd: project, env: cleanEnv(), maxBuffer: 16 << 20 },
      );
      await checkEntries(project, all.get(n).pkg);
      const nodeModules = join(project, 'node_modules');
      return {
        name: n,
        packed: (await lstat(tarballs.get(n))).size,
        own: await sizeOf(join(nodeModules, n)),
        installed:
          (await sizeOf(nodeModules)) - (await sizeOf(join(nodeModules, '.package-lock.json'))),
        packages: await countPackages(nodeModules),
      };
    });

    if (writeBudgets) {
      for (const r of rows) budgets[r.name] = Math.ceil((r.installed * HEADROOM) / 1e5) * 1e5;
      await writeFile(budgetsFile, `${JSON.stringify(budgets, null, 2)}\n`);
    }

    const over = rows.filter((r) => budgets[r.name] !== undefined && r.installed > budgets[r.name]);
    const missing = rows.filter((r) => budgets[r.name] === undefined);
    if (markdown) {
      console.log(
        '| package | packed | unpacked | installed, with dependencies | packages | budget |',
      );
      console.log('| --- | --: | --: | --: | --: | --: |');
      for (const r of rows) {
        const budget = budgets[r.name] === undefined ? '-' : `${mb(budgets[r.name])} MB`;
        console.log(
          `| \`${r.name}\` | ${kb(r.packed)} | ${kb(r.own)} | ${mb(r.installed)} MB | ${r.packages} | ${budget} |`,
        );
      }
    } else {
      const w = Math.max(...rows.map((r) => r.name.length));
      console.log(
        `${'package'.padEnd(w)}  ${'packed'.padStart(8)}  ${'unpacked'.padStart(9)}  ${'installed'.padStart(10)}  pkgs  budget`,
      );
      for (const r of rows) {
        const budget = budgets[r.name] === undefined ? 'none' : `${mb(budgets[r.name])} MB`;
        const flag = over.includes(r) ? '  OVER BUDGET' : '';
        console.log(
          `${r.name.padEnd(w)}  ${kb(r.packed).padStart(8)}  ${kb(r.own).padStart(9)}  ${`${mb(r.installed)} MB`.padStart(10)}  ${String(r.packages).padStart(4)}  ${budget}${flag}`,
        );
      }
    }
    console.error(
      `install-size: ${rows.length} packages in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (over.length || (missing.length && !writeBudgets)) {
      for (const r of over) {
        console.error(
          `${r.name}: ${mb(r.installed)} MB installed, over its budget of ${mb(budgets[r.name])} MB (${budgetsFile})`,
        );
      }
      for (const r of missing) console.error(`${r.name}: no budget in ${budgetsFile}`);
      process.exitCode = 1;
    }
  } finally {
    if (keep) console.error(`install-size: kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err.stderr || err.message || err);
  process.exitCode = 1;
});
