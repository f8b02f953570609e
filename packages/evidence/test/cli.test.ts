import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTrail, memoryStore } from '@platform/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformCollectors } from '../src/collectors/platform.js';
import { evidencePack, readPack } from '../src/pack/generate.js';
import { writeTarGz } from '../src/pack/tar.js';
import { cli } from './cli-support.js';

const dir = mkdtempSync(join(tmpdir(), 'evidence-cli-'));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const pub = join(dir, 'evidence.pub.pem');
writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
const otherPub = join(dir, 'other.pub.pem');
writeFileSync(
  otherPub,
  generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
);
const trail = auditTrail({ store: memoryStore(), log: false, shutdown: false });
const period = { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) };

/** A fresh pack at `out` (directory or .tar.gz). */
const pack = (out: string) =>
  evidencePack({
    period,
    collectors: platformCollectors({
      audit: trail,
      rateLimits: { api: { limit: 100, window: '1m' } },
    }),
    signingKey: privateKey,
    keyId: 'ops-2026',
    out: join(dir, out),
  });

beforeAll(async () => {
  trail.record({ action: 'api_key.create', tenantId: 'acme' });
  trail.record({ action: 'flag.update', tenantId: 'acme' });
  await trail.flush();
});
afterAll(() => trail.close());

describe('platform-evidence verify (child process)', { timeout: 60_000 }, () => {
  it('accepts an intact archive and an intact directory', async () => {
    const archive = await pack('intact.tar.gz');
    const r = await cli('verify', archive.path, '--public-key', pub);
    expect(r).toEqual({
      code: 0,
      out: `ok: ${archive.manifest.files.length} files match the manifest signed by key "ops-2026"\n`,
    });
    const folder = await pack('intact-dir');
    expect((await cli('verify', folder.path, '--public-key', pub)).code).toBe(0);
  });

  it('fails on a tampered evidence file, naming it', async () => {
    const folder = await pack('tampered-file');
    const csv = join(folder.path, 'evidence', 'api-keys', 'api-keys.csv');
    appendFileSync(csv, 'forged,row\r\n');
    const r = await cli('verify', folder.path, '--public-key', pub);
    expect(r.code).toBe(1);
    expect(r.out).toContain('modified: evidence/api-keys/api-keys.csv: SHA-256');
  });

  it('fails on a tampered manifest (a hash rewritten to match a forged file)', async () => {
    const folder = await pack('tampered-manifest');
    const csvPath = join(folder.path, 'controls.csv');
    writeFileSync(csvPath, 'all,collected\r\n');
    const manifestPath = join(folder.path, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const { createHash } = await import('node:crypto');
    const entry = manifest.files.find((f: { path: string }) => f.path === 'controls.csv');
    entry.sha256 = createHash('sha256').update(readFileSync(csvPath)).digest('hex');
    entry.bytes = readFileSync(csvPath).length;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const r = await cli('verify', folder.path, '--public-key', pub, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      problems: [{ path: 'manifest.json', problem: 'bad-signature' }],
    });
  });

  it('fails on a tampered archive, an added file and the wrong public key', async () => {
    const archive = await pack('tampered.tar.gz');
    const entries = await readPack(archive.path);
    const forged = entries.map((e) =>
      e.path === 'summary.pdf'
        ? { ...e, data: Buffer.concat([Buffer.from(e.data), Buffer.from('%forged')]) }
        : e,
    );
    writeFileSync(archive.path, await writeTarGz(forged, Date.now()));
    const r = await cli('verify', archive.path, '--public-key', pub);
    expect(r.code).toBe(1);
    expect(r.out).toContain('modified: summary.pdf');

    const added = join(dir, 'added.tar.gz');
    writeFileSync(
      added,
      await writeTarGz(
        [...entries, { path: 'evidence/extra.json', data: Buffer.from('{}') }],
        Date.now(),
      ),
    );
    const a = await cli('verify', added, '--public-key', pub);
    expect(a.code).toBe(1);
    expect(a.out).toContain('unlisted: evidence/extra.json');

    const intact = await pack('other-key.tar.gz');
    const k = await cli('verify', intact.path, '--public-key', otherPub);
    expect(k.code).toBe(1);
    expect(k.out).toContain('does not verify with the given public key (signed as key ops-2026)');

    writeFileSync(join(dir, 'garbage.tar.gz'), 'not gzip');
    const g = await cli('verify', join(dir, 'garbage.tar.gz'), '--public-key', pub);
    expect(g.code).toBe(1);
    expect(g.out).toContain('malformed');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('verify', join(dir, 'intact.tar.gz'))).code).toBe(2);
    expect((await cli('check', 'x', '--public-key', pub)).code).toBe(2);
    const badKey = await cli(
      'verify',
      join(dir, 'intact.tar.gz'),
      '--public-key',
      join(dir, 'missing.pem'),
    );
    expect(badKey.code).toBe(2);
    expect(badKey.out).toContain('cannot read the public key');
  });
});
