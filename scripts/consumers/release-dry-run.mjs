#!/usr/bin/env node
// The release, rehearsed on a copy of the repository (`pnpm release:dry-run`):
// `changeset version` applies the pending changesets, then the release's own publish
// command runs with --dry-run. Checks that every unreleased package becomes 0.1.0,
// that the packed manifests carry plain semver ranges to each other (`workspace:^` →
// `^0.1.0`), and that packages are published after the packages they depend on.
// Lists each tarball's files. Exits 1 on any problem. The repository is not touched.
//
//   pnpm release:dry-run [--build] [--keep]
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIsStale, buildPackages, packPackages, repo, workspacePackages } from './pack.mjs';
import { run, tail } from './proc.mjs';

const argv = process.argv.slice(2);
const problems = [];
const problem = (message) => problems.push(message);
const DEP_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** The repository's files (tracked and not ignored) plus each package's dist/, in `dest`. */
async function copyRepo(dest) {
  const r = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
  });
  if (r.code !== 0) throw new Error(`git ls-files failed:\n${tail(r.output)}`);
  for (const file of r.stdout.split('\0').filter(Boolean)) {
    try {
      cpSync(path.join(repo, file), path.join(dest, file));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err; // deleted in the work tree, not yet in git
    }
  }
  for (const pkg of workspacePackages()) {
    cpSync(path.join(pkg.dir, 'dist'), path.join(dest, path.relative(repo, pkg.dir), 'dist'), {
      recursive: true,
    });
  }
}

/**
 * pnpm rewrites `workspace:` ranges from the installed dependency's manifest: give each
 * copied package a node_modules with links to its sibling packages instead of an install.
 */
function linkSiblings(packages) {
  for (const pkg of packages) {
    const scopeDir = path.join(pkg.dir, 'node_modules', '@platform');
    mkdirSync(scopeDir, { recursive: true });
    for (const other of packages) {
      if (other !== pkg) symlinkSync(other.dir, path.join(scopeDir, other.name.split('/')[1]));
    }
  }
}

function internalRanges(manifest) {
  return DEP_FIELDS.flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([name]) => name.startsWith('@platform/'))
      .map(([name, range]) => ({ field, name, range })),
  );
}

function checkVersions(before, after) {
  console.log('\nchangeset version:');
  for (const pkg of after) {
    const old = before.find((p) => p.name === pkg.name)?.version;
    const expected = old === '0.0.0' ? '0.1.0' : undefined;
    const ok = !expected || pkg.version === expected;
    console.log(
      `  ${pkg.name.padEnd(22)} ${old} -> ${pkg.version}${ok ? '' : `  (expected ${expected})`}`,
    );
    if (!ok) problem(`${pkg.name}: version ${pkg.version}, expected ${expected}`);
  }
}

function packedManifest(tarball) {
  return run('tar', ['-xzOf', tarball, 'package/package.json']).then((r) => {
    if (r.code !== 0) throw new Error(`tar ${tarball}: ${tail(r.output)}`);
    return JSON.parse(r.stdout);
  });
}

async function checkPacked(packed) {
  const versions = new Map(packed.map((p) => [p.name, p.version]));
  console.log('\nPacked manifests (pnpm pack):');
  for (const pkg of packed) {
    const manifest = await packedManifest(pkg.tarball);
    const text = JSON.stringify(manifest);
    if (text.includes('workspace:'))
      problem(`${pkg.name}: packed package.json still has a workspace: range`);
    if (manifest.version !== pkg.version)
      problem(`${pkg.name}: packed version ${manifest.version}`);
    const ranges = internalRanges(manifest);
    for (const { field, name, range } of ranges) {
      const want = `^${versions.get(name)}`;
      if (range !== want) problem(`${pkg.name}: ${field}.${name} is ${range}, expected ${want}`);
    }
    const shown = ranges.map((r) => `${r.name.slice('@platform/'.length)} ${r.range}`).join(', ');
    console.log(`  ${pkg.name}@${manifest.version}: ${shown || 'no @platform dependencies'}`);
  }
}

function listFiles(packed) {
  console.log('\nTarball contents:');
  for (const pkg of packed) {
    console.log(`  ${pkg.name}@${pkg.version} (${pkg.files.length} files)`);
    let line = '   ';
    for (const file of [...pkg.files].sort()) {
      if (line.length + file.length > 100) {
        console.log(line);
        line = '   ';
      }
      line += ` ${file}`;
    }
    if (line.trim()) console.log(line);
  }
}

/** The release's publish command with --dry-run; checks that it publishes dependencies first. */
async function publishDryRun(root, packages) {
  // the same command as the root `release` script, dry and without the branch checks
  const r = await run(
    'pnpm',
    [
      '-r',
      '--filter',
      './packages/*',
      'publish',
      '--access',
      'public',
      '--dry-run',
      '--no-git-checks',
    ],
    { cwd: root, timeoutMs: 300_000 },
  );
  if (r.code !== 0) return problem(`pnpm publish --dry-run failed:\n${tail(r.output, 20)}`);
  const order = [...r.output.matchAll(/^\+ (@platform\/[a-z-]+)@(\S+)$/gm)].map((m) => m[1]);
  console.log(`\npnpm publish -r --dry-run order: ${order.join(' → ')}`);
  for (const pkg of packages) {
    if (!order.includes(pkg.name)) problem(`${pkg.name}: not published by the dry run`);
    for (const { name } of internalRanges(pkg.manifest).filter((d) => d.field === 'dependencies')) {
      if (order.indexOf(name) > order.indexOf(pkg.name))
        problem(`${pkg.name} is published before its dependency ${name}`);
    }
  }
}

async function main() {
  const before = workspacePackages();
  if (argv.includes('--build') || buildIsStale(before)) {
    console.log('building the packages');
    await buildPackages();
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'platform-release-'));
  try {
    const root = path.join(tmp, 'repo');
    await copyRepo(root);
    const version = await run(
      'node',
      [path.join(repo, 'node_modules/@changesets/cli/bin.js'), 'version'],
      { cwd: root },
    );
    if (version.code !== 0)
      throw new Error(`changeset version failed:\n${tail(version.output, 20)}`);
    const after = workspacePackages(root);
    checkVersions(before, after);
    linkSiblings(after);
    mkdirSync(path.join(tmp, 'tarballs'));
    const packed = await packPackages(after, path.join(tmp, 'tarballs'));
    await checkPacked(packed);
    listFiles(packed);
    await publishDryRun(root, after);
  } finally {
    if (argv.includes('--keep')) console.log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    console.log(`\nRelease dry run FAILED:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('\nRelease dry run passed.');
  }
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exitCode = 1;
});
