import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { auditTrail } from '../src/trail.js';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
const keyFile = join(dir, 'key.pem');

beforeAll(async () => {
  db = await isolatedSchema();
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const audit = auditTrail({
    store: db.store,
    log: false,
    shutdown: false,
    signing: { privateKey: readFileSync(keyFile, 'utf8'), keyId: 'ops' },
    checkpoint: { everyEvents: 10 },
  });
  for (let i = 0; i < 25; i++)
    audit.record({ action: 'doc.update', tenantId: i % 5 ? 'cli-a' : 'cli-b' });
  await audit.close();
  process.env.DATABASE_URL = DATABASE_URL;
});
afterAll(() => db.drop());

const run = async (...args: string[]) => {
  const lines: string[] = [];
  const code = await main(
    [...args, '--schema', db.schema, '--key', keyFile, '--key-id', 'ops'],
    (l) => lines.push(l),
  );
  return { code, lines };
};

describe('platform-audit CLI', () => {
  it('verifies every tenant chain, checkpoints included', async () => {
    const { code, lines } = await run('verify');
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ tenantId: 'cli-a', ok: true, checked: 20, checkpoints: 1 }),
      expect.objectContaining({ tenantId: 'cli-b', ok: true, checked: 5 }),
    ]);
  });

  it('exports CSV with a manifest that verify-export accepts, and rejects an edited file', async () => {
    const out = join(dir, 'a.csv');
    expect((await run('export', '--tenant', 'cli-a', '--format', 'csv', '--out', out)).code).toBe(
      0,
    );
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({ count: 20, keyId: 'ops', format: 'csv' });
    const ok = await run('verify-export', '--manifest', `${out}.manifest.json`, out);
    expect(ok.code).toBe(0);
    writeFileSync(out, readFileSync(out, 'utf8').replace('doc.update', 'doc.delete'));
    const bad = await run('verify-export', '--manifest', `${out}.manifest.json`, out);
    expect(bad.code).toBe(1);
    expect(bad.lines[0]).toMatch(/sha256/);
  });

  it('exits 1 and names the seq when a row was tampered with', async () => {
    await db.pool.query(
      `UPDATE "${db.schema}".audit_events SET actor_id = 'eve' WHERE tenant_id = 'cli-b' AND seq = 3`,
    );
    const { code, lines } = await run('verify', '--tenant', 'cli-b');
    expect(code).toBe(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      ok: false,
      brokenAt: 3,
      kind: 'edited',
    });
  });

  it('purges with a legal hold and records the purge', async () => {
    const before = new Date(Date.now() + 70 * 86_400_000).toISOString();
    const { code, lines } = await run('purge', '--before', before, '--hold', 'cli-a');
    expect(code).toBe(0);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ removed: 0, dropped: [] });
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".audit_events WHERE action = 'audit.purge'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('fails with usage when arguments are missing', async () => {
    await expect(main(['export', '--schema', db.schema], () => undefined)).rejects.toThrow(
      /--tenant and --out/,
    );
  });
});
