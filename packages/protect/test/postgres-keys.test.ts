import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../src/format/envelope.js';
import { memoryKeyProvider } from '../src/keys/provider.js';
import { fieldProtector } from '../src/protector.js';
import { type PostgresKeyStore, postgresKeyStore } from '../src/stores/postgres.js';
import { isolatedSchema } from './pg-support.js';

const db = isolatedSchema('protect_keys');
let store: PostgresKeyStore;

beforeAll(async () => {
  store = postgresKeyStore({ client: db.pool, schema: db.schema });
  await store.migrate();
  await store.migrate(); // idempotent
}, 60_000);

afterAll(async () => {
  await store?.close();
  await db.drop();
});

describe('data keys in PostgreSQL shared by several processes', () => {
  it('agrees on one key when two processes write a new tenant’s first values at once', async () => {
    const keys = memoryKeyProvider();
    const [a, b] = [fieldProtector({ keys, store }), fieldProtector({ keys, store })];
    const sealed = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).encrypt(`v${i}`, { tenantId: 'race', aad: `r/${i}` }),
      ),
    );
    expect(new Set(sealed.map((s) => parseEnvelope(s).keyId)).size).toBe(1);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".platform_data_keys WHERE tenant_id = 'race'`,
    );
    expect(rows[0]?.n).toBe(1);
    for (const [i, s] of sealed.entries())
      expect(await (i % 2 ? b : a).decrypt(s, { tenantId: 'race', aad: `r/${i}` })).toBe(`v${i}`);
  });

  it('rotates data keys and re-wraps under a new KEK without touching ciphertext; the old KEK can then go', async () => {
    const keys = memoryKeyProvider();
    const p = fieldProtector({ keys, store, cache: { ttlMs: 0 } });
    const tenants = ['t1', 't2', 't3'];
    const before = await Promise.all(
      tenants.map((t) => p.encrypt(`${t} before`, { tenantId: t, subjectId: 's', aad: t })),
    );
    await p.rotate({ tenantId: 't1', subjectId: 's' });
    const after = await p.encrypt('t1 after', { tenantId: 't1', subjectId: 's', aad: 't1' });
    expect(parseEnvelope(after).version).toBe(2);
    const oldKek = await keys.currentKekId();
    keys.rotate('kek-new');
    expect(await p.rewrap({ tenantId: 't1' })).toEqual({ rewrapped: 2, failed: [] });
    // the 'race' tenant's key was wrapped by another provider's KEK: reported, and the rest goes on
    expect(await p.rewrap()).toEqual({
      rewrapped: 2,
      failed: [
        expect.objectContaining({
          tenantId: 'race',
          message: expect.stringMatching(/does not unwrap/),
        }),
      ],
    });
    const { rows } = await db.pool.query(
      `SELECT DISTINCT kek_id FROM "${db.schema}".platform_data_keys WHERE tenant_id = ANY($1)`,
      [tenants],
    );
    expect(rows).toEqual([{ kek_id: 'kek-new' }]);
    keys.retire(oldKek);
    const opened = await Promise.all(
      before.map((s, i) =>
        p.decrypt(s, { tenantId: tenants[i] as string, aad: tenants[i] as string }),
      ),
    );
    expect(opened).toEqual(['t1 before', 't2 before', 't3 before']);
    expect(await p.decrypt(after, { tenantId: 't1', aad: 't1' })).toBe('t1 after');
  });

  it('refuses a wrapped key copied onto another tenant’s row', async () => {
    const keys = memoryKeyProvider();
    const p = fieldProtector({ keys, store, cache: { ttlMs: 0 } });
    const victim = await p.encrypt('victim data', { tenantId: 'victim', aad: 'x' });
    await p.encrypt('attacker data', { tenantId: 'attacker', aad: 'x' });
    // someone with database access copies the victim's wrapped key onto the attacker's row
    await db.pool.query(
      `UPDATE "${db.schema}".platform_data_keys SET wrapped = (SELECT wrapped FROM "${db.schema}".platform_data_keys WHERE tenant_id = 'victim') WHERE tenant_id = 'attacker'`,
    );
    await expect(p.encrypt('y', { tenantId: 'attacker', aad: 'x' })).rejects.toThrow(
      /does not unwrap/,
    );
    expect(await p.decrypt(victim, { tenantId: 'victim', aad: 'x' })).toBe('victim data');
  });
});
