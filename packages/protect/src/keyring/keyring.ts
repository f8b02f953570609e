import { randomBytes } from 'node:crypto';
import { CiphertextError, SubjectErasedError } from '../errors.js';
import type { KeyRef } from '../format/envelope.js';
import type { KeyProvider } from '../keys/provider.js';
import { keyUnwrapped } from '../metrics.js';
import { type DataKeyRecord, type DataKeyStore, type KeyScope, scopeKey } from '../store.js';
import { KeyCache } from './cache.js';

/** An unwrapped data key and where it came from. */
export interface OpenKey {
  key: Buffer;
  record: DataKeyRecord;
}

export interface KeyringOptions {
  provider: KeyProvider;
  store: DataKeyStore;
  /** How long an unwrapped key is kept in this process (ms); 0 for never. */
  cacheTtlMs: number;
  cacheMax: number;
}

/** The text a data key is wrapped under: a wrapped key moved to another row does not unwrap. */
export const wrapContext = (r: KeyScope & KeyRef) =>
  `platform-protect:dek:v1\n${r.tenantId}\n${r.purpose}\n${r.subjectId ?? ''}\n${r.keyId}\n${r.version}`;

const erased = (r: DataKeyRecord) =>
  new SubjectErasedError(r.tenantId, r.subjectId ?? '(tenant key)');

/**
 * Data keys for sealing and opening: the current version of a scope (created on first
 * use), any version by reference, rotation, re-wrapping under a new KEK and destruction.
 * Unwrapped keys are cached briefly; concurrent first uses of a scope create one key.
 */
export function keyring(o: KeyringOptions) {
  const { provider, store } = o;
  const current = new KeyCache<OpenKey>(o.cacheTtlMs, o.cacheMax);
  const byRef = new KeyCache<OpenKey>(o.cacheTtlMs, o.cacheMax);
  const pending = new Map<string, Promise<OpenKey>>();

  const unwrap = async (record: DataKeyRecord): Promise<OpenKey> => {
    if (record.destroyedAt || record.wrapped === undefined || record.kekId === undefined)
      throw erased(record);
    const key = await provider.unwrap(
      { kekId: record.kekId, wrapped: record.wrapped },
      wrapContext(record),
    );
    keyUnwrapped();
    return { key, record };
  };

  const createVersion = async (
    scope: KeyScope,
    keyId: string,
    version: number,
  ): Promise<OpenKey> => {
    const key = randomBytes(32);
    const ref = { ...scope, keyId, version };
    const wrapped = await provider.wrap(key, wrapContext(ref));
    const stored = await store.create({ ...ref, ...wrapped });
    if (stored.destroyedAt) throw erased(stored);
    // another process won the race: use its key
    if (stored.keyId !== keyId || stored.wrapped !== wrapped.wrapped) return unwrap(stored);
    return { key, record: stored };
  };

  const loadCurrent = async (scope: KeyScope): Promise<OpenKey> => {
    const latest = await store.latest(scope);
    if (latest) return unwrap(latest);
    return createVersion(scope, randomBytes(12).toString('base64url'), 1);
  };

  /** Deduplicates concurrent loads of one id (the first use of a scope creates one key). */
  const once = (id: string, load: () => Promise<OpenKey>): Promise<OpenKey> => {
    let p = pending.get(id);
    if (!p) {
      p = load().finally(() => pending.delete(id));
      pending.set(id, p);
    }
    return p;
  };

  const refId = (keyId: string, version: number) => `${keyId}#${version}`;
  const remember = (k: OpenKey) => {
    // each cache owns its copy: zeroing one on eviction must not break the other
    byRef.set(refId(k.record.keyId, k.record.version), {
      key: Buffer.from(k.key),
      record: k.record,
    });
    return k;
  };

  return {
    /** The key new values of `scope` are sealed with (created on first use). */
    async current(scope: KeyScope): Promise<OpenKey> {
      const id = scopeKey(scope);
      const hit = current.get(id);
      if (hit) return hit;
      const k = await once(`current:${id}`, () => loadCurrent(scope));
      current.set(id, { key: Buffer.from(k.key), record: k.record });
      remember(k);
      return k;
    },

    /** The key a value was sealed with; refuses a key of another tenant, reports an erased one. */
    async byRef(ref: KeyRef, tenantId: string): Promise<OpenKey> {
      const id = refId(ref.keyId, ref.version);
      const k =
        byRef.get(id) ??
        (await once(`ref:${id}`, async () => {
          const record = await store.get(ref.keyId, ref.version);
          if (!record)
            throw new CiphertextError(
              `data key ${ref.keyId} v${ref.version} is not in the key store`,
              'key_not_found',
            );
          if (record.tenantId !== tenantId) throw tenantMismatch(record, tenantId);
          return remember(await unwrap(record));
        }));
      if (k.record.tenantId !== tenantId) throw tenantMismatch(k.record, tenantId);
      return k;
    },

    /** Adds a version to a scope: new values use it, older versions still open. */
    async rotate(scope: KeyScope): Promise<DataKeyRecord> {
      const latest = await store.latest(scope);
      if (latest?.destroyedAt) throw erased(latest);
      const next = latest
        ? await createVersion(scope, latest.keyId, latest.version + 1)
        : await loadCurrent(scope);
      current.drop((k) => scopeKey(k.record) === scopeKey(scope));
      return next.record;
    },

    /** Re-wraps every data key not wrapped by the provider's current KEK; sealed values are untouched. */
    async rewrap(filter: { tenantId?: string; pageSize?: number } = {}): Promise<RewrapResult> {
      const kekId = await provider.currentKekId();
      const result: RewrapResult = { rewrapped: 0, failed: [] };
      let after: { keyId: string; version: number } | undefined;
      for (;;) {
        const page = await store.list({
          tenantId: filter.tenantId,
          kekIdNot: kekId,
          after,
          limit: filter.pageSize ?? 500,
        });
        if (page.length === 0) return result;
        for (const record of page) {
          after = record;
          let key: Buffer | undefined;
          try {
            key = (await unwrap(record)).key;
            const next = await provider.wrap(key, wrapContext(record));
            if (await store.rewrap(record, record.kekId as string, next)) result.rewrapped++;
          } catch (error) {
            // one key that does not unwrap (a KEK already retired, an altered row) does not stop the rest
            const { keyId, version, tenantId } = record;
            result.failed.push({ keyId, version, tenantId, message: (error as Error).message });
          } finally {
            key?.fill(0);
          }
        }
      }
    },

    /** Destroys a scope's key material everywhere it is stored, and in this process's caches. */
    async destroy(scope: KeyScope): Promise<number> {
      const n = await store.destroy(scope);
      const gone = (k: OpenKey) => scopeKey(k.record) === scopeKey(scope);
      current.drop(gone);
      byRef.drop(gone);
      return n;
    },
  };
}

export type Keyring = ReturnType<typeof keyring>;

/** What `rewrap()` did: keys moved to the current KEK, and the ones that could not be (left as they were). */
export interface RewrapResult {
  rewrapped: number;
  failed: { keyId: string; version: number; tenantId: string; message: string }[];
}

const tenantMismatch = (record: DataKeyRecord, tenantId: string) =>
  new CiphertextError(
    `sealed value belongs to another tenant's key (${record.keyId}), not to tenant ${JSON.stringify(tenantId)}`,
    'tenant_mismatch',
  );
