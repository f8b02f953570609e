import { describe, expect, it } from 'vitest';
import { CiphertextError } from './errors.js';
import { parseEnvelope, sealBytes } from './format/envelope.js';
import { memoryKeyProvider } from './keys/provider.js';
import { fieldProtector } from './protector.js';
import { memoryKeyStore } from './stores/memory.js';

const setup = (ttlMs = 60_000) => {
  const keys = memoryKeyProvider();
  const store = memoryKeyStore();
  return { keys, store, protect: fieldProtector({ keys, store, cache: { ttlMs } }) };
};

const rejection = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CiphertextError);
  return error as CiphertextError;
};

describe('fieldProtector', () => {
  it('round-trips any JSON value, sealed under the tenant key', async () => {
    const { protect } = setup();
    for (const value of ['ada@example.com', 42, null, true, { a: [1, 'x'] }, '']) {
      const sealed = await protect.encrypt(value, { tenantId: 'acme', aad: 'users/1/x' });
      expect(sealed.startsWith('pe1.')).toBe(true);
      expect(sealed).not.toContain('ada');
      expect(await protect.decrypt(sealed, { tenantId: 'acme', aad: 'users/1/x' })).toEqual(value);
    }
  });

  it('uses one key per tenant and one per subject', async () => {
    const { protect } = setup();
    const ref = async (tenantId: string, subjectId?: string) =>
      parseEnvelope(await protect.encrypt('x', { tenantId, subjectId, aad: 'a' })).keyId;
    expect(await ref('acme')).toBe(await ref('acme'));
    expect(await ref('acme')).not.toBe(await ref('globex'));
    expect(await ref('acme', 'u1')).not.toBe(await ref('acme'));
    expect(await ref('acme', 'u1')).not.toBe(await ref('acme', 'u2'));
    // the size the README gives: 50 bytes of framing around the JSON, in base64url, plus `pe1.`
    expect((await protect.encrypt('ada@example.com', { tenantId: 'acme', aad: 'a' })).length).toBe(
      94,
    );
  });

  it('refuses another tenant, other associated data and a tampered value with a clear error', async () => {
    const { protect } = setup();
    const sealed = await protect.encrypt('secret', { tenantId: 'acme', aad: 'users/1/email' });
    const otherTenant = await rejection(
      protect.decrypt(sealed, { tenantId: 'globex', aad: 'users/1/email' }),
    );
    expect(otherTenant.code).toBe('tenant_mismatch');
    expect(otherTenant.message).toMatch(/another tenant/);
    const moved = await rejection(
      protect.decrypt(sealed, { tenantId: 'acme', aad: 'users/2/email' }),
    );
    expect(moved.code).toBe('ciphertext_rejected');
    const bytes = Buffer.from(sealed.slice(4), 'base64url');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 20) ^ 0x80, bytes.length - 20);
    const tampered = await rejection(
      protect.decrypt(`pe1.${bytes.toString('base64url')}`, {
        tenantId: 'acme',
        aad: 'users/1/email',
      }),
    );
    expect(tampered.code).toBe('ciphertext_rejected');
  });

  it('refuses a value re-labelled with another tenant’s key id (wrong tenant key)', async () => {
    const { protect, store } = setup();
    const sealed = await protect.encrypt('acme secret', { tenantId: 'acme', aad: 'a' });
    const mine = parseEnvelope(sealed);
    const theirs = parseEnvelope(await protect.encrypt('x', { tenantId: 'globex', aad: 'a' }));
    // acme's ciphertext with globex's key id written into its header: globex's key does not open it
    const bytes = Buffer.from(sealed.slice(4), 'base64url');
    bytes.write(theirs.keyId, 2, 'latin1');
    const relabelled = `pe1.${bytes.toString('base64url')}`;
    expect(parseEnvelope(relabelled).keyId).toBe(theirs.keyId);
    expect(
      (await rejection(protect.decrypt(relabelled, { tenantId: 'globex', aad: 'a' }))).code,
    ).toBe('ciphertext_rejected');
    // a value under acme's key id read as globex's: refused before any decryption
    const swapped = sealBytes({
      keyId: mine.keyId,
      version: 1,
      key: Buffer.alloc(32, 7),
      plaintext: Buffer.from('"x"'),
      aad: 'a',
    });
    expect((await rejection(protect.decrypt(swapped, { tenantId: 'globex', aad: 'a' }))).code).toBe(
      'tenant_mismatch',
    );
    const unknownKey = sealBytes({
      keyId: 'nosuchkey',
      version: 1,
      key: Buffer.alloc(32),
      plaintext: Buffer.from('1'),
      aad: 'a',
    });
    expect(
      (await rejection(protect.decrypt(unknownKey, { tenantId: 'acme', aad: 'a' }))).code,
    ).toBe('key_not_found');
    expect((await store.list({ limit: 10 })).length).toBe(2);
  });

  it('rejects bad input with a ValidationError naming the field', async () => {
    const { protect } = setup();
    await expect(protect.encrypt('x', { tenantId: '', aad: 'a' })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'tenantId' }],
    });
    await expect(protect.encrypt(undefined, { tenantId: 't', aad: 'a' })).rejects.toMatchObject({
      errors: [{ path: 'value' }],
    });
    await expect(
      protect.encrypt('x', { tenantId: 't', aad: 3 as unknown as string }),
    ).rejects.toMatchObject({ errors: [{ path: 'aad' }] });
    await expect(protect.decrypt('nope', { tenantId: 't', aad: 'a' })).rejects.toMatchObject({
      code: 'ciphertext_malformed',
    });
    expect(() => fieldProtector({ keys: {} as never, store: memoryKeyStore() })).toThrow(
      /keys: must be a key provider/,
    );
  });

  it('creates one key when many first writes of a tenant race', async () => {
    const { protect, store } = setup();
    const sealed = await Promise.all(
      Array.from({ length: 50 }, (_, i) => protect.encrypt(i, { tenantId: 'fresh', aad: 'a' })),
    );
    expect(new Set(sealed.map((s) => parseEnvelope(s).keyId)).size).toBe(1);
    expect((await store.list({ tenantId: 'fresh', limit: 10 })).length).toBe(1);
  });

  it('rotates data keys: new writes use the new version, old values still open', async () => {
    const { protect } = setup();
    const ctx = { tenantId: 'acme', subjectId: 'u1', aad: 'a' };
    const before = await protect.encrypt('v1 data', ctx);
    const next = await protect.rotate({ tenantId: 'acme', subjectId: 'u1' });
    expect(next.version).toBe(2);
    const after = await protect.encrypt('v2 data', ctx);
    expect(parseEnvelope(before).version).toBe(1);
    expect(parseEnvelope(after)).toMatchObject({ version: 2, keyId: parseEnvelope(before).keyId });
    expect(await protect.decrypt(before, ctx)).toBe('v1 data');
    expect(await protect.decrypt(after, ctx)).toBe('v2 data');
  });

  it('re-wraps data keys under a new KEK without touching ciphertext, then the old KEK can go', async () => {
    const { protect, keys, store } = setup(0);
    const sealed = await Promise.all(
      ['acme', 'globex', 'initech'].map((t) =>
        protect.encrypt(`${t} data`, { tenantId: t, aad: t }),
      ),
    );
    await protect.rotate({ tenantId: 'acme' });
    const oldKek = await keys.currentKekId();
    const newKek = keys.rotate();
    expect(await protect.rewrap()).toEqual({ rewrapped: 4, failed: [] });
    expect(await protect.rewrap()).toEqual({ rewrapped: 0, failed: [] });
    for (const r of await store.list({ limit: 100 })) expect(r.kekId).toBe(newKek);
    keys.retire(oldKek);
    const opened = await Promise.all(
      sealed.map((s, i) =>
        protect.decrypt(s, {
          tenantId: ['acme', 'globex', 'initech'][i] as string,
          aad: ['acme', 'globex', 'initech'][i] as string,
        }),
      ),
    );
    expect(opened).toEqual(['acme data', 'globex data', 'initech data']);
  });

  it('computes blind indexes per tenant and field, truncated to the configured length', async () => {
    const { protect } = setup();
    const bi = (value: string, tenantId = 'acme', field = 'email') =>
      protect.blindIndex(value, { tenantId, field });
    const a = await bi('ada@example.com');
    expect(a).toBe(await bi('ada@example.com'));
    expect(Buffer.from(a, 'base64url').length).toBe(16);
    expect(a).not.toBe(await bi('bob@example.com'));
    expect(a).not.toBe(await bi('ada@example.com', 'globex'));
    expect(a).not.toBe(await bi('ada@example.com', 'acme', 'backupEmail'));
    const short = fieldProtector({
      keys: memoryKeyProvider(),
      store: memoryKeyStore(),
      blindIndexBytes: 4,
    });
    expect(
      Buffer.from(await short.blindIndex('x', { tenantId: 't', field: 'f' }), 'base64url').length,
    ).toBe(4);
  });
});
