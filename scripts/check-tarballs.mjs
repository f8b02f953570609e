#!/usr/bin/env node
// Packs every package under packages/ with pnpm (what `changeset publish` uploads, with
// publishConfig applied) and checks the tarball itself:
//   - its package.json has no workspace-only `development` condition and never names src/,
//     and its exports are the workspace's minus that condition;
//   - it holds only the allowed files: package.json, README.md, LICENSE, CHANGELOG.md,
//     dist/**/*.{js,cjs,d.ts,d.cts}, bin/*.js, and the extras named below;
//   - its LICENSE is the repository's (each package keeps a copy, which npm always packs);
//   - every target of exports, main, module, types and bin is in it;
//   - publint --strict and @arethetypeswrong/cli (node16 profile) pass on the .tgz.
// Prints each tarball's files and sizes. Needs the packages built (`pnpm build`).
//
//   node scripts/check-tarballs.mjs [package-dir-name ...]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const REQUIRED = ['package.json', 'README.md', 'LICENSE'];
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^dist\/[\w.-]+\.(?:js|cjs|d\.ts|d\.cts)$/,
  /^bin\/[\w.-]+\.js$/,
];
/** Files a package ships on purpose beyond the list above. */
const EXTRAS = {
  '@platform/evidence': [
    'templates/eu-ai-act.json',
    'templates/gdpr-art30.json',
    'templates/iso27001.json',
    'templates/soc2.json',
  ],
  '@platform/admin': ['dist/ui/index.html', 'dist/ui/assets/app.js', 'dist/ui/assets/app.css'],
  '@platform/flags': ['test-vectors.json'],
  '@platform/metrics': ['templates/grafana-dashboard.json', 'templates/prometheus-alerts.yml'],
};

const only = process.argv.slice(2);
const names = readdirSync(join(root, 'packages'))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
const work = mkdtempSync(join(tmpdir(), 'platform-tarballs-'));
const failures = [];

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function withoutDevelopment(value) {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'development')
      .map(([key, v]) => [key, withoutDevelopment(v)]),
  );
}

/** Every file path an exports map (or a bin map) points at. */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

function check(name) {
  const dir = join(root, 'packages', name);
  const source = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const problems = [];
  const packed = JSON.parse(run('pnpm', ['pack', '--json', '--pack-destination', work], dir));
  const tarball = packed.filename;
  const out = join(work, name);
  run('mkdir', ['-p', out], root);
  run('tar', ['-xzf', tarball, '-C', out], root);
  const pkgDir = join(out, 'package');
  const files = walk(pkgDir).map((f) => ({
    path: relative(pkgDir, f).split('\\').join('/'),
    size: statSync(f).size,
  }));
  files.sort((a, b) => a.path.localeCompare(b.path));

  const manifestText = readFileSync(join(pkgDir, 'package.json'), 'utf8');
  const manifest = JSON.parse(manifestText);
  if (manifestText.includes('"development"')) problems.push('package.json has a "development" key');
  if (manifestText.includes('src/')) problems.push('package.json mentions src/');
  if (JSON.stringify(manifest.exports) !== JSON.stringify(withoutDevelopment(source.exports))) {
    problems.push(
      'packed exports differ from the workspace exports without "development": keep publishConfig.exports in step with exports',
    );
  }

  const extras = EXTRAS[source.name] ?? [];
  for (const { path } of files) {
    if (!ALLOWED.some((re) => re.test(path)) && !extras.includes(path)) {
      problems.push(`not an allowed file: ${path}`);
    }
  }
  const have = new Set(files.map((f) => f.path));
  for (const path of [...REQUIRED, ...extras]) {
    if (!have.has(path)) problems.push(`missing ${path}`);
  }
  if (
    have.has('LICENSE') &&
    readFileSync(join(pkgDir, 'LICENSE'), 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')
  ) {
    problems.push('LICENSE differs from the repository LICENSE (copy it again)');
  }
  const bin = typeof manifest.bin === 'string' ? [manifest.bin] : targets(manifest.bin);
  for (const target of [
    ...targets(manifest.exports),
    ...[manifest.main, manifest.module, manifest.types].filter(Boolean),
    ...bin,
  ]) {
    const path = target.replace(/^\.\//, '');
    if (!have.has(path)) problems.push(`target ${target} is not in the tarball`);
  }

  try {
    run('pnpm', ['exec', 'publint', 'run', tarball, '--strict'], root);
  } catch (error) {
    problems.push(`publint: ${error.stdout}${error.stderr}`.trim());
  }
  try {
    run(
      'pnpm',
      ['exec', 'attw', tarball, '--profile', 'node16', '--format', 'table-flipped'],
      root,
    );
  } catch (error) {
    problems.push(`attw: ${error.stdout}${error.stderr}`.trim());
  }

  const unpacked = files.reduce((sum, f) => sum + f.size, 0);
  console.log(
    `\n${source.name}: ${tarball.split('/').pop()} ${kb(statSync(tarball).size)} packed, ` +
      `${kb(unpacked)} unpacked, ${files.length} files`,
  );
  for (const f of files) console.log(`  ${kb(f.size).padStart(9)}  ${f.path}`);
  if (problems.length === 0) console.log('  ok: contents, exports, publint, attw');
  for (const p of problems) console.log(`  FAIL ${p}`);
  return problems.map((p) => `${source.name}: ${p}`);
}

try {
  for (const name of names) failures.push(...check(name));
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`\n${failures.length} tarball problem(s):`);
  for (const f of failures) console.error(`  ${f.split('\n')[0]}`);
  process.exit(1);
}
console.log(`\n${names.length} tarballs ok`);
