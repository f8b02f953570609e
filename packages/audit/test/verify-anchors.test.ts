import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAnchor } from '../src/anchor.js';
import { createSigner, hashEvent, signCheckpoint } from '../src/chain.js';
import type { StoredEvent } from '../src/schema.js';
import { auditTrail } from '../src/trail.js';
import { verifyChain } from '../src/verify.js';
import { DATABASE_URL, isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
const dir = mkdtempSync(join(tmpdir(), 'audit-anchor-'));
const keyFile = join(dir, 'key.pem');
const { privateKey } = generateKeyPairSync('ed25519');
writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
const signing = { privateKey, keyId: 'ops' };

beforeAll(async () => {
  db = await isolatedSchema('audit_anchor');
});
afterAll(() => db.drop());

const tsx = (script: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', script, ...args],
      { env: { ...process.env, DATABASE_URL }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
/** `platform-audit verify` as its own process; returns the exit code and the result lines. */
const cliVerify = async (...args: string[]) => {
  const { code, out } = await tsx(cliPath, ['verify', '--schema', db.schema, ...args]);
  const results = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, results, out };
};
const sql = (text: string, params: unknown[] = []) =>
  db.pool.query(text.replaceAll('$S', `"${db.schema}"`), params);

/** A trail with a key and checkpoints every 10 events; 25 events for `tenantId`. */
async function signedChain(tenantId: string, anchorFile?: string) {
  const audit = auditTrail({
    store: db.storeWith({}),
    log: false,
    shutdown: false,
    signing,
    checkpoint: { everyEvents: 10, ...(anchorFile && { anchor: fileAnchor(anchorFile) }) },
    queue: { batchSize: 5 },
  });
  for (let i = 0; i < 25; i++) audit.record({ action: 'doc.update', tenantId, metadata: { i } });
  await audit.flush();
  expect(await audit.verify({ tenantId })).toMatchObject({ ok: true, checked: 25 });
  return audit;
}

describe('truncation (tail removed and the head moved back)', () => {
  it('is found by the API and the CLI from a signed checkpoint past the new head', async () => {
    const audit = await signedChain('trunc');
    await sql(`DELETE FROM $S.audit_events WHERE tenant_id = 'trunc' AND seq > 15`);
    await sql(
      `UPDATE $S.audit_chain_heads h SET seq = 15, hash = e.hash FROM $S.audit_events e
       WHERE h.tenant_id = 'trunc' AND e.tenant_id = 'trunc' AND e.seq = 15`,
    );
    expect(await audit.verify({ tenantId: 'trunc' })).toMatchObject({
      ok: false,
      brokenAt: 16,
      kind: 'truncated',
    });
    // a range that stops before the cut still sees the checkpoint past it
    expect(await audit.verify({ tenantId: 'trunc', to: 12 })).toMatchObject({
      ok: false,
      kind: 'truncated',
    });
    const cli = await cliVerify('--tenant', 'trunc', '--key', keyFile, '--key-id', 'ops');
    expect(cli.code).toBe(1);
    expect(cli.results[0]).toMatchObject({ ok: false, brokenAt: 16, kind: 'truncated' });
    await audit.close();
  }, 60_000);
});

describe('checkpoints anchored outside the database', () => {
  it('catch an edit whose chain was recomputed downstream, checkpoint rows deleted: API and CLI --anchor', async () => {
    const anchorFile = join(dir, 'rewrite.anchor.ndjson');
    const audit = await signedChain('rewrite', anchorFile);
    await audit.flush();
    expect((await fileAnchor(anchorFile).load?.('rewrite'))?.map((c) => c.seq)).toEqual([10, 20]);
    // a database administrator edits seq 5, re-hashes every later event, moves the head and
    // deletes the stored checkpoints
    const rows: StoredEvent[] = [];
    for await (const e of db.store.export({ tenantId: 'rewrite' })) rows.push(e);
    let prev = (rows[3] as StoredEvent).hash;
    for (const row of rows.slice(4)) {
      const body = row.seq === 5 ? { ...row, metadata: { i: 999 } } : row;
      const hash = hashEvent(prev, body);
      const { prevHash: _p, hash: _h, ...doc } = body;
      await sql(
        `UPDATE $S.audit_events SET data = $2::jsonb, prev_hash = $3, hash = $4 WHERE tenant_id = 'rewrite' AND seq = $1`,
        [row.seq, JSON.stringify(doc), prev, hash],
      );
      prev = hash;
    }
    await sql(`UPDATE $S.audit_chain_heads SET hash = $1 WHERE tenant_id = 'rewrite'`, [prev]);
    await sql(`DELETE FROM $S.audit_checkpoints WHERE tenant_id = 'rewrite'`);

    // what the database alone can tell: nothing
    expect(
      await verifyChain(db.store, { tenantId: 'rewrite', publicKeys: audit.publicKeys }),
    ).toMatchObject({ ok: true });
    expect(await audit.verify({ tenantId: 'rewrite' })).toMatchObject({
      ok: false,
      brokenAt: 10,
      kind: 'edited',
    });
    const keyArgs = ['--tenant', 'rewrite', '--key', keyFile, '--key-id', 'ops'];
    expect((await cliVerify(...keyArgs)).code).toBe(0);
    const anchored = await cliVerify(...keyArgs, '--anchor', anchorFile);
    expect(anchored.code).toBe(1);
    expect(anchored.results[0]).toMatchObject({ ok: false, brokenAt: 10, kind: 'edited' });
    await audit.close();
  }, 60_000);
});

describe('no signing key configured', () => {
  it('two processes writing one trail leave a chain that verifies everywhere, CLI included', async () => {
    const child = fileURLToPath(new URL('./fixtures/writer-child.ts', import.meta.url));
    const runs = await Promise.all(
      [0, 1].map(() => tsx(child, [DATABASE_URL, db.schema, '60', 'two-a', 'two-b'])),
    );
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const { rows } = await sql(
      `SELECT count(*)::int AS n FROM $S.audit_checkpoints WHERE tenant_id LIKE 'two-%'`,
    );
    expect(rows[0]?.n).toBe(0);
    // a third process (its own per-process key) verifies; so does the CLI, without a key
    const reader = auditTrail({ store: db.storeWith({}), log: false, shutdown: false });
    for (const tenantId of ['two-a', 'two-b'])
      expect(await reader.verify({ tenantId })).toMatchObject({ ok: true, checked: 120 });
    const cli = await cliVerify('--tenant', 'two-a', '--tenant', 'two-b');
    expect(cli.code, cli.out).toBe(0);
    expect(cli.results).toEqual([
      expect.objectContaining({ ok: true, checked: 120 }),
      expect.objectContaining({ ok: true, checked: 120 }),
    ]);
    await reader.close();
  }, 90_000);

  it('skips, with a note, checkpoints an earlier version stored under a per-process key', async () => {
    const reader = auditTrail({ store: db.storeWith({}), log: false, shutdown: false });
    for (let i = 0; i < 12; i++) reader.record({ action: 'doc.update', tenantId: 'legacy' });
    await reader.flush();
    const head = await db.store.head('legacy');
    const legacy = createSigner(undefined, 'ephemeral');
    await db.store.saveCheckpoint(
      signCheckpoint(legacy, {
        tenantId: 'legacy',
        seq: 10,
        hash: 'x'.repeat(64),
        kind: 'periodic',
      }),
    );
    expect(head?.seq).toBe(12);
    const result = await reader.verify({ tenantId: 'legacy' });
    expect(result).toMatchObject({ ok: true, checked: 12 });
    expect(result.notes?.[0]).toMatch(/per-process key/);
    const cli = await cliVerify('--tenant', 'legacy');
    expect(cli.code, cli.out).toBe(0);
    await reader.close();
  }, 60_000);
});
