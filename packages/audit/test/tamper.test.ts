import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner, signCheckpoint } from '../src/chain.js';
import { sampleEvent } from '../src/testkit.js';
import { verifyChain } from '../src/verify.js';
import { isolatedSchema } from './pg-support.js';

let db: Awaited<ReturnType<typeof isolatedSchema>>;
const signer = createSigner(undefined, 'k1');
const publicKeys = { k1: signer.publicKey };

beforeAll(async () => {
  db = await isolatedSchema();
});
afterAll(() => db.drop());

/** A fresh tenant with 10 events (amount = seq) and a checkpoint at seq 10. */
async function chain(tenantId: string) {
  const stored = await db.store.append(
    Array.from({ length: 10 }, (_, i) => sampleEvent(tenantId, { metadata: { amount: i + 1 } })),
  );
  const last = stored[9] as (typeof stored)[number];
  await db.store.saveCheckpoint(
    signCheckpoint(signer, { tenantId, seq: last.seq, hash: last.hash, kind: 'periodic' }),
  );
  expect(await verifyChain(db.store, { tenantId, publicKeys })).toMatchObject({
    ok: true,
    checked: 10,
    checkpoints: 1,
  });
  return tenantId;
}

const sql = (text: string, params: unknown[]) =>
  db.pool.query(text.replaceAll('$S', `"${db.schema}"`), params);

describe('tamper detection in PostgreSQL', () => {
  it('finds a field edited inside the JSON document', async () => {
    const t = await chain('edit-json');
    await sql(
      `UPDATE $S.audit_events SET data = jsonb_set(data, '{metadata,amount}', '999') WHERE tenant_id = $1 AND seq = 6`,
      [t],
    );
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 6,
      kind: 'edited',
    });
  });

  it('finds an edited indexed column (actor)', async () => {
    const t = await chain('edit-col');
    await sql(`UPDATE $S.audit_events SET actor_id = 'mallory' WHERE tenant_id = $1 AND seq = 3`, [
      t,
    ]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 3,
      kind: 'edited',
    });
  });

  it('finds a row edited and re-hashed in place (the next link breaks)', async () => {
    const t = await chain('rehash');
    await sql(
      `UPDATE $S.audit_events SET hash = repeat('a', 64) WHERE tenant_id = $1 AND seq = 4`,
      [t],
    );
    const r = await verifyChain(db.store, { tenantId: t, publicKeys });
    expect(r).toMatchObject({ ok: false, brokenAt: 4, kind: 'edited' });
  });

  it('finds a deleted row', async () => {
    const t = await chain('delete');
    await sql(`DELETE FROM $S.audit_events WHERE tenant_id = $1 AND seq = 5`, [t]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 5,
      kind: 'deleted',
    });
  });

  it('finds a deleted tail (the head and the checkpoint still remember it)', async () => {
    const t = await chain('tail');
    await sql(`DELETE FROM $S.audit_events WHERE tenant_id = $1 AND seq >= 9`, [t]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 9,
      kind: 'deleted',
    });
  });

  it('finds two swapped rows', async () => {
    const t = await chain('swap');
    await sql(`UPDATE $S.audit_events SET seq = 0 WHERE tenant_id = $1 AND seq = 7`, [t]);
    await sql(`UPDATE $S.audit_events SET seq = 7 WHERE tenant_id = $1 AND seq = 8`, [t]);
    await sql(`UPDATE $S.audit_events SET seq = 8 WHERE tenant_id = $1 AND seq = 0`, [t]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 7,
      kind: 'reordered',
    });
  });

  it('finds two rows whose contents were swapped', async () => {
    const t = await chain('swap-data');
    await sql(
      `UPDATE $S.audit_events e SET data = o.data, id = o.id, hash = o.hash, prev_hash = o.prev_hash, request_id = o.request_id,
         occurred_at = o.occurred_at, recorded_at = o.recorded_at, action = o.action, outcome = o.outcome, actor_id = o.actor_id
       FROM $S.audit_events o WHERE e.tenant_id = $1 AND o.tenant_id = $1 AND ((e.seq = 2 AND o.seq = 3) OR (e.seq = 3 AND o.seq = 2))`,
      [t],
    );
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 2,
      kind: 'reordered',
    });
  });

  it('finds a forged checkpoint', async () => {
    const t = await chain('forged');
    await sql(`UPDATE $S.audit_checkpoints SET hash = repeat('b', 64) WHERE tenant_id = $1`, [t]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({
      ok: false,
      brokenAt: 10,
      kind: 'bad-signature',
    });
  });

  it('finds a chain rewritten end to end against a checkpoint kept outside the database', async () => {
    const t = await chain('rewritten');
    const [outside] = await db.store.checkpoints(t);
    // an attacker with table access rewrites event 10 and every hash after it, and drops the stored checkpoint
    await sql(`DELETE FROM $S.audit_checkpoints WHERE tenant_id = $1`, [t]);
    const events = [];
    for await (const e of db.store.export({ tenantId: t })) events.push(e);
    const { hashEvent } = await import('../src/chain.js');
    const forged = { ...events[9], metadata: { amount: 0 } } as (typeof events)[number];
    forged.hash = hashEvent(forged.prevHash, forged);
    await sql(
      `UPDATE $S.audit_events SET data = $2::jsonb, hash = $3 WHERE tenant_id = $1 AND seq = 10`,
      [t, JSON.stringify({ ...forged, hash: undefined, prevHash: undefined }), forged.hash],
    );
    await sql(`UPDATE $S.audit_chain_heads SET hash = $2 WHERE tenant_id = $1`, [t, forged.hash]);
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({ ok: true });
    expect(
      await verifyChain(db.store, { tenantId: t, publicKeys, checkpoint: outside }),
    ).toMatchObject({
      ok: false,
      brokenAt: 10,
      kind: 'edited',
    });
  });

  it('leaves other tenants verifiable', async () => {
    const t = await chain('bystander');
    expect(await verifyChain(db.store, { tenantId: t, publicKeys })).toMatchObject({ ok: true });
  });
});
