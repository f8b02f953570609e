import { generateKeyPairSync } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type Collector, collected, notCollected } from '../collectors/types.js';
import { parseTemplate } from '../templates/load.js';
import { buildPack } from './build.js';
import { verifyEntries } from './manifest.js';
import { readTarGz, writeTarGz } from './tar.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const period = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
const template = parseTemplate({
  id: 'test',
  framework: 'Test',
  title: 'Test controls',
  version: '1',
  controls: [
    { id: 'T-1', title: 'Both', summary: 's', collectors: ['good', 'bad'] },
    { id: 'T-2', title: 'Good', summary: 's', collectors: ['good'] },
    { id: 'T-3', title: 'None', summary: 's', collectors: ['absent', 'empty'] },
    { id: 'T-4', title: 'Failing finding', summary: 's', collectors: ['good', 'finding'] },
  ],
});
const collector = (id: string, collect: Collector['collect']): Collector => ({
  id,
  title: id,
  collect,
});
const collectors = [
  collector('good', async () =>
    collected('1 row', [
      {
        name: 'rows',
        json: { a: 1 },
        table: {
          columns: ['a', 'b'],
          rows: [
            [1, '=SUM(A1)'],
            [2, 'x,"y"'],
          ],
        },
      },
    ]),
  ),
  collector('bad', async () => {
    throw new Error('database is down');
  }),
  collector('empty', async () => notCollected('no source configured')),
  collector('finding', async () =>
    collected('checked', [], [{ ok: false, detail: 'chain broken at seq 3' }]),
  ),
  collector(
    'slow',
    (ctx) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      ),
  ),
];

describe('buildPack', () => {
  it('maps collector outcomes onto control statuses and never throws for a collector', async () => {
    const pack = await buildPack({
      period,
      collectors,
      templates: [template],
      signingKey: privateKey,
      collectorTimeoutMs: 200,
    });
    expect(pack.controls.map((c) => [c.controlId, c.status])).toEqual([
      ['T-1', 'partial'],
      ['T-2', 'collected'],
      ['T-3', 'not-collected'],
      ['T-4', 'attention'],
    ]);
    expect(pack.controls[0]?.notes).toEqual(['bad: failed (database is down)']);
    expect(pack.controls[2]?.notes).toEqual([
      'absent: no collector of this id was given',
      'empty: not collected (no source configured)',
    ]);
    expect(pack.collectors.find((c) => c.id === 'slow')).toMatchObject({
      status: 'failed',
      reason: 'timed out after 200 ms',
    });
    const paths = pack.entries.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'manifest.sig',
        'summary.pdf',
        'controls.csv',
        'evidence/good/rows.json',
        'evidence/good/rows.csv',
      ]),
    );
    const csv = Buffer.from(
      pack.entries.find((e) => e.path === 'evidence/good/rows.csv')!.data,
    ).toString();
    expect(csv).toBe(`a,b\r\n1,'=SUM(A1)\r\n2,"x,""y"""\r\n`);
    expect(pack.manifest.files.map((f) => f.path)).not.toContain('manifest.json');
    expect(verifyEntries(pack.entries, publicKey)).toMatchObject({
      ok: true,
      verified: pack.entries.length - 2,
    });
  });

  it('leaves the PDF out when asked, and the pack still verifies', async () => {
    const pack = await buildPack({
      period,
      collectors: [],
      templates: [template],
      signingKey: privateKey,
      pdf: false,
    });
    expect(pack.entries.map((e) => e.path)).not.toContain('summary.pdf');
    expect(pack.controls.every((c) => c.status === 'not-collected')).toBe(true);
    expect(verifyEntries(pack.entries, publicKey).ok).toBe(true);
  });

  it('refuses bad options naming the field', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    await expect(buildPack({ period, collectors, signingKey: rsa })).rejects.toThrow(
      /signingKey.*Ed25519/,
    );
    await expect(
      buildPack({
        period: { from: period.to, to: period.from },
        collectors,
        signingKey: privateKey,
      }),
    ).rejects.toThrow(/period.*from must be before to/);
    await expect(
      buildPack({ period, collectors: [...collectors, collectors[0]!], signingKey: privateKey }),
    ).rejects.toThrow(/collector ids must be unique/);
  });
});

describe('tar', () => {
  it('round-trips entries, long paths included, and refuses unsafe or corrupt archives', async () => {
    const long = `evidence/${'a'.repeat(90)}/${'b'.repeat(60)}.json`;
    const entries = [
      { path: 'manifest.json', data: Buffer.from('{}') },
      { path: long, data: Buffer.alloc(1500, 7) },
    ];
    const gz = await writeTarGz(entries, Date.parse(period.from));
    expect(await writeTarGz(entries, Date.parse(period.from))).toEqual(gz);
    const back = await readTarGz(gz);
    expect(
      back.map((e) => [
        e.path,
        Buffer.from(e.data).equals(Buffer.from(entries.find((x) => x.path === e.path)!.data)),
      ]),
    ).toEqual([
      ['manifest.json', true],
      [long, true],
    ]);
    await expect(writeTarGz([{ path: '../etc/passwd', data: Buffer.from('') }], 0)).rejects.toThrow(
      /unsafe archive path/,
    );
    const tar = Buffer.from(await import('node:zlib').then((z) => z.gunzipSync(gz)));
    tar[10] = 0x41; // corrupt the first header's name: checksum no longer matches
    await expect(readTarGz(gzipSync(tar))).rejects.toThrow(/checksum/);
  });
});
