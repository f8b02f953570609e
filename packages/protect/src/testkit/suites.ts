import { randomUUID } from 'node:crypto';
import type { StoreGetter } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { DataKeyStore, KeyScope, NewDataKey } from '../store.js';

/** The named suites of the data key store conformance run; `skip` takes these. */
export type DataKeyStoreSuite = 'create' | 'lookup' | 'rewrap' | 'destroy' | 'list';

/** A scope and key unique to the call, so runs sharing a database do not meet. */
function fresh(tenantKey = false) {
  const subjectId = tenantKey ? undefined : `s-${randomUUID().slice(0, 8)}`;
  const tenantId = `t-${randomUUID().slice(0, 8)}`;
  const scope: KeyScope = { tenantId, purpose: 'data', ...(subjectId && { subjectId }) };
  const key = (
    version: number,
    keyId = `k${randomUUID().replace(/-/g, '').slice(0, 14)}`,
  ): NewDataKey => ({
    ...scope,
    keyId,
    version,
    kekId: 'kek-a',
    wrapped: `w-${randomUUID()}`,
  });
  return { tenantId, scope, key };
}

export function dataKeyStoreSuites(): Record<
  DataKeyStoreSuite,
  (store: StoreGetter<DataKeyStore>) => void
> {
  return {
    create(store) {
      it('stores a version and returns it with its creation time', async () => {
        const { key } = fresh();
        const k = key(1);
        const stored = await store().create(k);
        expect(stored).toMatchObject({ ...k });
        expect(Number.isNaN(Date.parse(stored.createdAt))).toBe(false);
        expect(stored.destroyedAt).toBeUndefined();
      });
      it('keeps the first of two creates of one version (the race winner) and answers it to both', async () => {
        const { key } = fresh();
        const [a, b] = await Promise.all([store().create(key(1)), store().create(key(1))]);
        expect(a.keyId).toBe(b.keyId);
        expect(a.wrapped).toBe(b.wrapped);
      });
      it('stores a tenant key (no subject) apart from subject keys', async () => {
        const { key, scope } = fresh(true);
        const stored = await store().create(key(1));
        expect(stored.subjectId).toBeUndefined();
        expect((await store().latest(scope))?.keyId).toBe(stored.keyId);
        expect(await store().latest({ ...scope, subjectId: 'someone' })).toBeUndefined();
      });
    },
    lookup(store) {
      it('finds versions by reference and the latest by scope', async () => {
        const { key, scope } = fresh();
        const v1 = await store().create(key(1));
        const v2 = await store().create(key(2, v1.keyId));
        expect((await store().latest(scope))?.version).toBe(2);
        expect((await store().get(v1.keyId, 1))?.wrapped).toBe(v1.wrapped);
        expect((await store().get(v1.keyId, 2))?.wrapped).toBe(v2.wrapped);
        expect(await store().get(v1.keyId, 3)).toBeUndefined();
        expect(await store().latest({ ...scope, purpose: 'index' })).toBeUndefined();
      });
    },
    rewrap(store) {
      it('replaces the wrapping only while it is by the expected KEK', async () => {
        const { key } = fresh();
        const k = await store().create(key(1));
        expect(await store().rewrap(k, 'kek-a', { kekId: 'kek-b', wrapped: 'w2' })).toBe(true);
        expect(await store().rewrap(k, 'kek-a', { kekId: 'kek-c', wrapped: 'w3' })).toBe(false);
        expect(await store().get(k.keyId, 1)).toMatchObject({ kekId: 'kek-b', wrapped: 'w2' });
      });
    },
    destroy(store) {
      it('destroys every version of one subject, leaves a tombstone, and refuses new versions', async () => {
        const { key, scope, tenantId } = fresh();
        const v1 = await store().create(key(1));
        await store().create(key(2, v1.keyId));
        const other = await store().create({ ...key(1), subjectId: 'other' });
        expect(await store().destroy(scope)).toBe(2);
        expect(await store().destroy(scope)).toBe(0);
        const gone = await store().get(v1.keyId, 1);
        expect(gone?.wrapped).toBeUndefined();
        expect(gone?.destroyedAt).toBeDefined();
        expect((await store().latest(scope))?.destroyedAt).toBeDefined();
        const again = await store().create(key(3, v1.keyId));
        expect(again.destroyedAt).toBeDefined();
        expect(again.wrapped).toBeUndefined();
        const kept = await store().get(other.keyId, 1);
        expect(kept).toMatchObject({ tenantId, subjectId: 'other', wrapped: other.wrapped });
      });
    },
    list(store) {
      it('pages through a tenant’s live keys not wrapped by a given KEK, in (keyId, version) order', async () => {
        const { key, tenantId, scope } = fresh();
        const created = [];
        for (let i = 0; i < 5; i++)
          created.push(await store().create({ ...key(1), subjectId: `s${i}` }));
        await store().rewrap(created[0] as NewDataKey, 'kek-a', { kekId: 'kek-z', wrapped: 'x' });
        await store().create(key(1));
        await store().destroy(scope);
        const seen: string[] = [];
        let after: { keyId: string; version: number } | undefined;
        for (;;) {
          const page = await store().list({ tenantId, kekIdNot: 'kek-z', after, limit: 2 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(2);
          seen.push(...page.map((r) => r.keyId));
          after = page.at(-1);
        }
        const expected = created
          .slice(1)
          .map((r) => r.keyId)
          .sort();
        expect(seen).toEqual(expected);
      });
    },
  };
}
