// Building and packing the workspace packages the way the release does: `pnpm pack`
// in each package directory, so `publishConfig` and the `workspace:` ranges are
// rewritten exactly as `pnpm publish` would write them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { run, tail } from './proc.mjs';

export const repo = path.resolve(import.meta.dirname, '../..');

/** Every publishable package under packages/: `{ name, version, dir, manifest }`. */
export function workspacePackages(root = repo) {
  const base = path.join(root, 'packages');
  return readdirSync(base)
    .map((entry) => path.join(base, entry))
    .filter((dir) => {
      try {
        return statSync(path.join(dir, 'package.json')).isFile();
      } catch {
        return false;
      }
    })
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { name: manifest.name, version: manifest.version, dir, manifest };
    })
    .filter((pkg) => !pkg.manifest.private);
}

function newest(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((entry) => newest(path.join(file, entry))));
}

function oldest(dir) {
  let first = Number.POSITIVE_INFINITY;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const time = entry.isDirectory() ? oldest(full) : statSync(full).mtimeMs;
    if (time < first) first = time;
  }
  return first;
}

/** What tsup reads: a change to any of these makes dist/ stale (a README change does not). */
const BUILD_INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'];

/** True when some package has no dist/, or a build input newer than its oldest file. */
export function buildIsStale(packages) {
  return packages.some((pkg) => {
    try {
      const input = Math.max(...BUILD_INPUTS.map((name) => newest(path.join(pkg.dir, name))));
      return input > oldest(path.join(pkg.dir, 'dist'));
    } catch {
      return true;
    }
  });
}

/** `pnpm --filter './packages/*' build`; throws with the output's tail on failure. */
export async function buildPackages() {
  const r = await run('pnpm', ['--filter', './packages/*', 'build'], { cwd: repo });
  if (r.code !== 0) throw new Error(`build failed:\n${tail(r.output, 40)}`);
  return r.ms;
}

/**
 * `pnpm pack` of every package into `dest`. Returns the packages with `tarball`
 * (absolute path) and `files` (paths inside the tarball) added; throws when a pack fails.
 */
export async function packPackages(packages, dest) {
  return Promise.all(
    packages.map(async (pkg) => {
      const r = await run('pnpm', ['pack', '--json', '--pack-destination', dest], { cwd: pkg.dir });
      let packed;
      try {
        packed = JSON.parse(r.stdout);
      } catch {
        throw new Error(`pnpm pack ${pkg.name} failed:\n${tail(r.output)}`);
      }
      if (r.code !== 0) throw new Error(`pnpm pack ${pkg.name} failed:\n${tail(r.output)}`);
      const tarball = path.resolve(dest, packed.filename);
      // the tarball itself, not pnpm's summary (which leaves out the LICENSE it adds)
      const list = await run('tar', ['-tzf', tarball]);
      if (list.code !== 0) throw new Error(`tar -tzf ${tarball}:\n${tail(list.output)}`);
      const files = list.stdout
        .split('\n')
        .filter((f) => f && !f.endsWith('/'))
        .map((f) => f.replace(/^package\//, ''));
      return { ...pkg, tarball, files };
    }),
  );
}
