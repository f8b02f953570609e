import { randomBytes } from 'node:crypto';
import { type StoreTestOptions, testStore } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import { hashSecret } from './format.js';
import { apiKeys } from './keys.js';
import type { ApiKeyRecord, ApiKeyStore } from './store.js';

export type ApiKeyStoreSuite = 'records' | 'list' | 'rotate' | 'revoke' | 'usage' | 'lifecycle';

export type ApiKeyStoreTestOptions<S extends ApiKeyStore = ApiKeyStore> = StoreTestOptions<
  S,
  ApiKeyStoreSuite
>;

const T0 = Date.UTC(2026, 0, 1);
const tenant = () => `t-${randomBytes(4).toString('hex')}`;

function sample(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: randomBytes(8).toString('hex'),
    name: 'sample',
    environment: 'live',
    scopes: ['a:read'],
    roles: ['viewer'],
    secretHash: hashSecret(randomBytes(32).toString('base64url')),
    createdAt: T0,
    uses: 0,
    ...over,
  };
}

type Get = () => ApiKeyStore;

const SUITES: Record<ApiKeyStoreSuite, (store: Get) => void> = {
  records(store) {
    it('gives back what was inserted, and refuses a taken id', async () => {
      const r = sample({ tenantId: tenant(), expiresAt: T0 + 1000 });
      await store().insert(r);
      expect(await store().get(r.id)).toEqual(r);
      await expect(store().insert({ ...r, name: 'again' })).rejects.toThrow();
      expect((await store().get(r.id))?.name).toBe('sample');
      expect(await store().get(randomBytes(8).toString('hex'))).toBeUndefined();
    });
  },
  list(store) {
    it('lists a tenant newest first, page by page, without revoked keys unless asked', async () => {
      const t = tenant();
      const made = [0, 1, 2, 3, 4].map((i) => sample({ tenantId: t, createdAt: T0 + i }));
      for (const r of made) await store().insert(r);
      await store().insert(sample({ tenantId: tenant() }));
      await store().revoke((made[0] as ApiKeyRecord).id, T0 + 10);
      const first = await store().list({ tenantId: t, limit: 2 });
      expect(first.keys.map((k) => k.createdAt)).toEqual([T0 + 4, T0 + 3]);
      const second = await store().list({ tenantId: t, limit: 2, cursor: first.nextCursor });
      expect(second.keys.map((k) => k.createdAt)).toEqual([T0 + 2, T0 + 1]);
      expect(second.nextCursor).toBeUndefined();
      const all = await store().list({ tenantId: t, includeRevoked: true });
      expect(all.keys).toHaveLength(5);
      expect(all.nextCursor).toBeUndefined();
    });
  },
  rotate(store) {
    it('moves the current hash to previous in one step; a revoked key is not rotated', async () => {
      const r = sample();
      await store().insert(r);
      const next = hashSecret('next');
      const rotated = await store().rotate(r.id, {
        secretHash: next,
        previousExpiresAt: T0 + 500,
        at: T0 + 1,
      });
      expect(rotated).toMatchObject({
        secretHash: next,
        previousHash: r.secretHash,
        previousExpiresAt: T0 + 500,
        rotatedAt: T0 + 1,
      });
      expect(await store().get(r.id)).toEqual(rotated);
      await store().revoke(r.id, T0 + 2);
      expect(
        await store().rotate(r.id, { secretHash: hashSecret('x'), previousExpiresAt: T0, at: T0 }),
      ).toBeUndefined();
      expect(
        await store().rotate('0000000000000000', {
          secretHash: next,
          previousExpiresAt: T0,
          at: T0,
        }),
      ).toBeUndefined();
    });
  },
  revoke(store) {
    it('revokes once: the first time stays', async () => {
      const r = sample();
      await store().insert(r);
      expect((await store().revoke(r.id, T0 + 5))?.revokedAt).toBe(T0 + 5);
      expect((await store().revoke(r.id, T0 + 9))?.revokedAt).toBe(T0 + 5);
      expect(await store().revoke('0000000000000000', T0)).toBeUndefined();
    });
  },
  usage(store) {
    it('adds use counts atomically and never moves last use back', async () => {
      const r = sample();
      await store().insert(r);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store().addUsage([{ id: r.id, uses: 3, lastUsedAt: T0 + i }]),
        ),
      );
      await store().addUsage([
        { id: r.id, uses: 1, lastUsedAt: T0 - 100 },
        { id: '0000000000000000', uses: 1, lastUsedAt: T0 },
      ]);
      expect(await store().get(r.id)).toMatchObject({ uses: 61, lastUsedAt: T0 + 19 });
    });
  },
  lifecycle(store) {
    it('verifies, rotates with a grace period, expires the old secret, revokes', async () => {
      let clock = T0;
      const keys = apiKeys({ store: store(), now: () => clock, graceMs: 1000, shutdown: false });
      const { key: first, info } = await keys.create({
        name: 'svc',
        tenantId: 'acme',
        scopes: ['x'],
      });
      expect(await keys.verify(first)).toMatchObject({
        ok: true,
        key: { id: info.id, tenantId: 'acme' },
      });
      const rotated = await keys.rotate(info.id);
      const second = rotated?.key as string;
      expect(second).not.toBe(first);
      expect((await keys.verify(first)).ok).toBe(true);
      expect((await keys.verify(second)).ok).toBe(true);
      clock += 1000;
      expect(await keys.verify(first)).toEqual({ ok: false, reason: 'mismatch' });
      expect((await keys.verify(second)).ok).toBe(true);
      await keys.flush();
      expect(await keys.get(info.id)).toMatchObject({
        uses: 4,
        lastUsedAt: new Date(clock).toISOString(),
      });
      await keys.revoke(info.id);
      expect(await keys.verify(second)).toEqual({ ok: false, reason: 'revoked' });
      await keys.close();
    });
  },
};

/**
 * The conformance suite every API-key store passes: `records`, `list` (tenant, revoked,
 * cursor pages), atomic `rotate`, idempotent `revoke`, atomic `usage` counts, and the whole
 * `lifecycle` through `apiKeys()`.
 *
 * @example
 * testApiKeyStore({ name: 'memory', create: () => memoryKeyStore() });
 */
export function testApiKeyStore<S extends ApiKeyStore>(options: ApiKeyStoreTestOptions<S>): void {
  testStore(options, { title: 'API key store conformance', suites: SUITES });
}
