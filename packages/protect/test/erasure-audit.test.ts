import { type AuditTrail, auditTrail, type StoredEvent } from '@platform/audit';
import { type PostgresAuditStore, postgresStore } from '@platform/audit/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LegalHoldError } from '../src/errors.js';
import { ERASED, openAuditEvent, sealAuditInput } from '../src/fields/index.js';
import { memoryKeyProvider } from '../src/keys/provider.js';
import { type FieldProtector, fieldProtector } from '../src/protector.js';
import { type PostgresKeyStore, postgresKeyStore } from '../src/stores/postgres.js';
import { isolatedSchema } from './pg-support.js';

const db = isolatedSchema('protect_audit');
const keys = memoryKeyProvider();
const onHold = new Set<string>();
const PERSONAL = ['metadata.email', 'changes.after.name', 'changes.after.email'];
let auditStore: PostgresAuditStore;
let keyStore: PostgresKeyStore;
let audit: AuditTrail;
let protect: FieldProtector;

beforeAll(async () => {
  auditStore = postgresStore({ client: db.pool, schema: db.schema });
  await auditStore.migrate();
  keyStore = postgresKeyStore({ client: db.pool, schema: db.schema });
  await keyStore.migrate();
  audit = auditTrail({ store: auditStore, log: false, shutdown: false });
  protect = fieldProtector({
    keys,
    store: keyStore,
    audit,
    holds: ({ subjectId }) => onHold.has(subjectId),
  });
}, 60_000);

afterAll(async () => {
  await audit?.close();
  await keyStore?.close();
  await auditStore?.close();
  await db.drop();
});

/** Records `n` events for a subject, personal fields sealed with the subject's key. */
async function recordFor(subject: string, n: number) {
  for (let i = 0; i < n; i++) {
    const input = await sealAuditInput(
      protect,
      {
        action: 'profile.update',
        tenantId: 'acme',
        actor: { type: 'user' as const, id: subject },
        targets: [{ type: 'user', id: subject }],
        changes: {
          after: { name: `${subject} name ${i}`, email: `${subject}@example.com`, plan: 'pro' },
        },
        metadata: { email: `${subject}@example.com`, step: i },
      },
      { subjectId: subject, paths: PERSONAL },
    );
    audit.record(input);
  }
}

async function stored(): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of auditStore.export({ tenantId: 'acme' })) out.push(e);
  return out;
}

describe('erasure by crypto-shredding on a real PostgreSQL audit table', () => {
  it('erases one subject: verify still passes, their fields read [ERASED], the other subject’s stay readable', async () => {
    await recordFor('alice', 20);
    await recordFor('bob', 20);
    await audit.flush();
    expect(await audit.verify({ tenantId: 'acme' })).toMatchObject({ ok: true, checked: 40 });
    // no plaintext reached the table
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".audit_events WHERE data::text LIKE '%@example.com%' OR data::text LIKE '%name %'`,
    );
    expect(rows[0]?.n).toBe(0);

    const result = await protect.erase({
      tenantId: 'acme',
      subjectId: 'alice',
      reason: 'GDPR Art. 17 request #12',
    });
    expect(result.destroyed).toBe(1);
    await audit.flush();

    const verified = await audit.verify({ tenantId: 'acme' });
    expect(verified).toMatchObject({ ok: true, checked: 41 });

    const events = await stored();
    const erasure = events.find((e) => e.action === 'privacy.subject.erase');
    expect(erasure).toMatchObject({
      outcome: 'success',
      targets: [{ type: 'subject', id: 'alice' }],
      reason: 'GDPR Art. 17 request #12',
    });

    // a fresh protector (another process: nothing cached) reads the same
    const elsewhere = fieldProtector({ keys, store: keyStore });
    for (const reader of [protect, elsewhere]) {
      let alice = 0;
      let bob = 0;
      for (const e of events.filter((x) => x.action === 'profile.update')) {
        const opened = await openAuditEvent(reader, e);
        const after = opened.value.changes?.after as Record<string, unknown>;
        if (e.actor.id === 'alice') {
          alice++;
          expect(opened.erased.sort()).toEqual([...PERSONAL].sort());
          expect(opened.value.metadata.email).toBe(ERASED);
          expect(after.name).toBe(ERASED);
          expect(after.plan).toBe('pro'); // what was not personal stays
        } else {
          bob++;
          expect(opened.erased).toEqual([]);
          expect(opened.value.metadata.email).toBe('bob@example.com');
          expect(after.name).toBe(`bob name ${opened.value.metadata.step}`);
        }
      }
      expect([alice, bob]).toEqual([20, 20]);
    }
  });

  it('refuses to erase a subject under legal hold, records the refusal, keeps the data readable', async () => {
    onHold.add('bob');
    const error = await protect
      .erase({ tenantId: 'acme', subjectId: 'bob' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LegalHoldError);
    expect((error as LegalHoldError).message).toMatch(/under legal hold/);
    await audit.flush();
    const events = await stored();
    expect(events.at(-1)).toMatchObject({
      action: 'privacy.subject.erase',
      outcome: 'failure',
      targets: [{ id: 'bob' }],
    });
    const bobs = events.filter((e) => e.actor.id === 'bob');
    expect((await openAuditEvent(protect, bobs[0] as StoredEvent)).value.metadata.email).toBe(
      'bob@example.com',
    );
    expect(await audit.verify({ tenantId: 'acme' })).toMatchObject({ ok: true, checked: 42 });
  });

  it('still catches tampering: the chain commits to the ciphertext', async () => {
    const [first, second] = (await stored()).filter((e) => e.actor.id === 'bob');
    // a bob event's sealed email replaced by another bob event's: decryption and verify both notice
    await db.pool.query(
      `UPDATE "${db.schema}".audit_events SET data = jsonb_set(data, '{metadata,email}', to_jsonb($1::text)) WHERE tenant_id = 'acme' AND id = $2`,
      [second?.metadata.email, first?.id],
    );
    const moved = (await stored()).find((e) => e.id === first?.id) as StoredEvent;
    await expect(openAuditEvent(protect, moved)).rejects.toMatchObject({
      code: 'ciphertext_rejected',
    });
    expect(await audit.verify({ tenantId: 'acme' })).toMatchObject({
      ok: false,
      kind: 'edited',
      brokenAt: moved.seq,
    });
  });
});
