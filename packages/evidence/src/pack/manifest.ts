import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import type { ArchiveEntry } from './tar.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const FORMAT = 'platform-evidence/1';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

/** What the signature covers: every other file of the pack by SHA-256. */
export interface Manifest {
  format: typeof FORMAT;
  generatedAt: string;
  period: { from: string; to: string };
  tenant: string | null;
  keyId: string;
  templates: { id: string; framework: string; version: string }[];
  files: ManifestFile[];
}

/** `manifest.sig`: an Ed25519 signature over the exact bytes of `manifest.json`. */
export interface ManifestSignature {
  algorithm: 'Ed25519';
  keyId: string;
  signature: string;
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The manifest and its signature for a pack's files, as the two entries to add. */
export function signManifest(
  entries: readonly ArchiveEntry[],
  fields: Omit<Manifest, 'format' | 'files'>,
  privateKey: KeyObject,
): ArchiveEntry[] {
  const files = entries
    .map((e) => ({ path: e.path, sha256: sha256(e.data), bytes: e.data.byteLength }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const manifest: Manifest = { format: FORMAT, ...fields, files };
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature: ManifestSignature = {
    algorithm: 'Ed25519',
    keyId: fields.keyId,
    signature: sign(null, bytes, privateKey).toString('base64'),
  };
  return [
    { path: MANIFEST, data: bytes },
    { path: SIGNATURE, data: Buffer.from(`${JSON.stringify(signature, null, 2)}\n`) },
  ];
}

export interface VerifyProblem {
  path: string;
  problem: 'missing' | 'modified' | 'unlisted' | 'bad-signature' | 'malformed';
  detail: string;
}

export interface PackVerification {
  ok: boolean;
  keyId?: string;
  /** Files whose hash matched the signed manifest. */
  verified: number;
  problems: VerifyProblem[];
  manifest?: Manifest;
}

function parse<T>(data: Uint8Array | undefined): T | undefined {
  try {
    return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a pack: the manifest's signature with `publicKey`, then every listed file's size
 * and SHA-256, and that no file is present that the manifest does not list.
 */
export function verifyEntries(
  entries: readonly ArchiveEntry[],
  publicKey: KeyObject,
): PackVerification {
  const byPath = new Map(entries.map((e) => [e.path, e.data]));
  const fail = (p: VerifyProblem): PackVerification => ({ ok: false, verified: 0, problems: [p] });
  const manifestBytes = byPath.get(MANIFEST);
  const sig = parse<ManifestSignature>(byPath.get(SIGNATURE));
  if (!manifestBytes)
    return fail({ path: MANIFEST, problem: 'missing', detail: 'no manifest.json' });
  if (!sig || typeof sig.signature !== 'string')
    return fail({ path: SIGNATURE, problem: 'malformed', detail: 'no readable manifest.sig' });
  let valid = false;
  try {
    valid = verify(null, manifestBytes, publicKey, Buffer.from(sig.signature, 'base64'));
  } catch (error) {
    return fail({ path: SIGNATURE, problem: 'bad-signature', detail: (error as Error).message });
  }
  if (!valid)
    return fail({
      path: MANIFEST,
      problem: 'bad-signature',
      detail: `the manifest's signature does not verify with the given public key (signed as key ${sig.keyId})`,
    });
  const manifest = parse<Manifest>(manifestBytes);
  if (manifest?.format !== FORMAT || !Array.isArray(manifest.files))
    return fail({ path: MANIFEST, problem: 'malformed', detail: `not a ${FORMAT} manifest` });
  const problems: VerifyProblem[] = [];
  let verified = 0;
  const listed = new Set<string>([MANIFEST, SIGNATURE]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const data = byPath.get(f.path);
    if (!data)
      problems.push({
        path: f.path,
        problem: 'missing',
        detail: 'listed in the manifest, not in the pack',
      });
    else if (data.byteLength !== f.bytes || sha256(data) !== f.sha256)
      problems.push({
        path: f.path,
        problem: 'modified',
        detail: `SHA-256 ${sha256(data)} is not the signed ${f.sha256}`,
      });
    else verified++;
  }
  for (const path of byPath.keys()) {
    if (!listed.has(path))
      problems.push({
        path,
        problem: 'unlisted',
        detail: 'in the pack but not in the signed manifest',
      });
  }
  return { ok: problems.length === 0, keyId: sig.keyId, verified, problems, manifest };
}
