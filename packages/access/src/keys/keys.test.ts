import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeys } from './keys.js';
import { memoryKeyStore } from './memory.js';
import type { ApiKeyStore, ApiKeyUsage } from './store.js';

const T0 = Date.UTC(2026, 5, 1);

function setup(over: Partial<Parameters<typeof apiKeys>[0]> = {}) {
  let clock = T0;
  const store = memoryKeyStore();
  const keys = apiKeys({ store, now: () => clock, shutdown: false, ...over });
  return { keys, store, tick: (ms: number) => (clock += ms) };
}

describe('apiKeys', () => {
  it('issues pk_<env>_<id>_<secret> and stores only the SHA-256 of the secret', async () => {
    const { keys, store } = setup();
    const { key, info } = await keys.create({ name: 'sync', tenantId: 'acme', scopes: ['a', 'a'] });
    expect(key).toMatch(/^pk_live_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(key.split('_')[2]).toBe(info.id);
    expect(info).toMatchObject({ status: 'active', scopes: ['a'], uses: 0, tenantId: 'acme' });
    const stored = await store.get(info.id);
    const secret = key.slice(`pk_live_${info.id}_`.length);
    expect(stored?.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(info)).not.toContain(secret);
  });

  it('refuses every wrong key, each for its reason', async () => {
    const { keys, tick } = setup({ environments: ['live'] });
    const { key, info } = await keys.create({ name: 'a', expiresInMs: 60_000 });
    const test = await keys.create({ name: 'b', environment: 'test' });
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(await keys.verify(undefined)).toEqual({ ok: false, reason: 'malformed' });
    expect(await keys.verify('Bearer nonsense')).toEqual({ ok: false, reason: 'malformed' });
    expect(await keys.verify(`sk${key.slice(2)}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(await keys.verify(key.replace(info.id, '0123456789abcdef'))).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await keys.verify(key.slice(0, -1) + last)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await keys.verify(key.replace('_live_', '_test_'))).toEqual({
      ok: false,
      reason: 'environment',
    });
    expect(await keys.verify(test.key)).toEqual({ ok: false, reason: 'environment' });
    expect((await keys.verify(key)).ok).toBe(true);
    tick(60_000);
    expect(await keys.verify(key)).toEqual({ ok: false, reason: 'expired' });
    expect((await keys.get(info.id))?.status).toBe('expired');
  });

  it('answers unavailable, without throwing, when the store fails', async () => {
    const store = { ...memoryKeyStore(), get: () => Promise.reject(new Error('down')) };
    const keys = apiKeys({ store, shutdown: false });
    const result = await keys.verify(`pk_live_0123456789abcdef_${'a'.repeat(43)}`);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('counts uses in memory and writes them in one batch; a failed write is retried', async () => {
    const writes: ApiKeyUsage[][] = [];
    let fail = true;
    const base = memoryKeyStore();
    const store: ApiKeyStore = {
      ...base,
      addUsage: async (usage) => {
        writes.push(usage.map((u) => ({ ...u })));
        if (fail) throw new Error('down');
        await base.addUsage(usage);
      },
    };
    const keys = apiKeys({ store, shutdown: false, logger: silent });
    const { key, info } = await keys.create({ name: 'a' });
    for (let i = 0; i < 50; i++) expect((await keys.verify(key)).ok).toBe(true);
    expect(writes).toHaveLength(0);
    expect((await keys.get(info.id))?.uses).toBe(50);
    await keys.flush();
    expect(writes).toHaveLength(1);
    fail = false;
    await keys.verify(key);
    await keys.flush();
    expect(writes[1]).toEqual([expect.objectContaining({ id: info.id, uses: 51 })]);
    expect((await base.get(info.id))?.uses).toBe(51);
    await keys.close();
  });

  it('rejects bad input with an error naming the field, and refuses to rotate a revoked key', async () => {
    const { keys } = setup();
    await expect(keys.create({ name: 'a', scopes: ['no spaces'] })).rejects.toThrow(/scopes/);
    await expect(keys.create({ name: '' })).rejects.toThrow(/name/);
    await expect(keys.create({ name: 'a', expiresAt: new Date(T0 - 1) })).rejects.toThrow(/future/);
    const { info } = await keys.create({ name: 'a' });
    await keys.revoke(info.id);
    expect(await keys.rotate(info.id)).toBeUndefined();
    expect(await keys.rotate('0123456789abcdef')).toBeUndefined();
  });
});

describe('apiKeys cacheMs', () => {
  it("reads a key once per cacheMs; another process's revocation shows after it, its own at once", async () => {
    const { keys, store, tick } = setup({ cacheMs: 5_000 });
    let reads = 0;
    const get = store.get;
    store.get = (id) => {
      reads++;
      return get(id);
    };
    const a = await keys.create({ name: 'a' });
    const b = await keys.create({ name: 'b' });
    for (let i = 0; i < 3; i++) expect((await keys.verify(a.key)).ok).toBe(true);
    expect(reads).toBe(1);
    await store.revoke(a.info.id, T0); // as another process would
    expect((await keys.verify(a.key)).ok).toBe(true);
    tick(5_000);
    expect(await keys.verify(a.key)).toEqual({ ok: false, reason: 'revoked' });
    expect((await keys.verify(b.key)).ok).toBe(true);
    await keys.revoke(b.info.id);
    expect(await keys.verify(b.key)).toEqual({ ok: false, reason: 'revoked' });
  });
});

const silent = { error() {}, warn() {}, info() {}, debug() {} };
