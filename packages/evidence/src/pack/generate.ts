import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ConfigError } from '@platform/core';
import { type BuiltPack, buildPack } from './build.js';
import { type PackVerification, verifyEntries } from './manifest.js';
import type { EvidencePackInput } from './options.js';
import { type ArchiveEntry, checkPath, readTarGz, writeTarGz } from './tar.js';

export interface EvidencePackOptions extends EvidencePackInput {
  /** Where the pack goes: a path ending in `.tar.gz` / `.tgz` is one archive, anything else a new (or empty) directory. */
  out: string;
}

export interface EvidencePack extends BuiltPack {
  /** The archive or directory written. */
  path: string;
}

const isArchive = (path: string) => /\.(tar\.gz|tgz)$/.test(path);

/**
 * Collects evidence for the period (and tenant), maps it onto the control templates and
 * writes a pack: JSON and CSV evidence files, `controls.csv`, a PDF summary, and
 * `manifest.json` listing every file's SHA-256, signed with Ed25519 in `manifest.sig`.
 *
 * @example
 * const pack = await evidencePack({
 *   period: { from: '2026-10-01T00:00:00Z', to: '2027-01-01T00:00:00Z' },
 *   collectors: platformCollectors({ audit: trail, ledger: costStore }),
 *   templates: loadTemplates(['soc2', 'iso27001', 'gdpr-art30']),
 *   signingKey: process.env.EVIDENCE_SIGNING_KEY!,
 *   out: './evidence-2026-q4.tar.gz',
 * });
 */
export async function evidencePack(options: EvidencePackOptions): Promise<EvidencePack> {
  if (typeof options?.out !== 'string' || options.out.length === 0)
    throw new ConfigError('evidencePack: out must be a path', [
      { path: 'out', message: 'must be a path' },
    ]);
  const built = await buildPack(options);
  await writePack(built.entries, options.out, built.generatedAt.getTime());
  return { ...built, path: options.out };
}

/** Writes pack entries as a .tar.gz (atomically, through a temporary file) or into an empty directory. */
export async function writePack(
  entries: readonly ArchiveEntry[],
  out: string,
  mtime = Date.now(),
): Promise<void> {
  if (isArchive(out)) {
    await mkdir(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    await writeFile(tmp, await writeTarGz(entries, mtime));
    await rename(tmp, out);
    return;
  }
  await mkdir(out, { recursive: true });
  if ((await readdir(out)).length > 0) throw new Error(`evidencePack: ${out} is not empty`);
  for (const e of entries) {
    const path = join(out, ...checkPath(e.path).split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, e.data);
  }
}

async function readDirectory(root: string, dir = root): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await readDirectory(root, path)));
    else out.push({ path: relative(root, path).split(sep).join('/'), data: await readFile(path) });
  }
  return out;
}

/** Reads a pack (archive or directory) back into entries. */
export async function readPack(path: string): Promise<ArchiveEntry[]> {
  return isArchive(path) ? readTarGz(await readFile(path)) : readDirectory(path);
}

/**
 * Verifies a pack: the manifest's Ed25519 signature with `publicKey` (a KeyObject or PEM),
 * every file's SHA-256, and that nothing was added. What the `platform-evidence verify` CLI runs.
 *
 * @example
 * const result = await verifyPack('./evidence-2026-q4.tar.gz', readFileSync('evidence.pub.pem', 'utf8'));
 * if (!result.ok) console.error(result.problems);
 */
export async function verifyPack(
  path: string,
  publicKey: KeyObject | string,
): Promise<PackVerification> {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  let entries: ArchiveEntry[];
  try {
    entries = await readPack(path);
  } catch (error) {
    return {
      ok: false,
      verified: 0,
      problems: [
        { path, problem: 'malformed', detail: `cannot read the pack: ${(error as Error).message}` },
      ],
    };
  }
  return verifyEntries(entries, key);
}
