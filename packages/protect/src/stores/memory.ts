import {
  type DataKeyRecord,
  type DataKeyStore,
  type KeyListQuery,
  type KeyScope,
  type NewDataKey,
  scopeKey,
} from '../store.js';

const refKey = (keyId: string, version: number) => `${keyId}#${version}`;
const copy = (r: DataKeyRecord): DataKeyRecord => ({ ...r });
/** `(keyId, version)` order, the order `list` pages in. */
const byRefOrder = (
  a: { keyId: string; version: number },
  b: { keyId: string; version: number },
) => (a.keyId === b.keyId ? a.version - b.version : a.keyId < b.keyId ? -1 : 1);

/**
 * Data keys in this process's memory: for tests and development (gone on restart, and with
 * them everything sealed).
 *
 * @example
 * const protect = fieldProtector({ keys: memoryKeyProvider(), store: memoryKeyStore() });
 */
export function memoryKeyStore(): DataKeyStore {
  const byRef = new Map<string, DataKeyRecord>();
  const byScope = new Map<string, DataKeyRecord[]>();
  const destroyed = new Set<string>();
  return {
    async create(key: NewDataKey) {
      const scope = scopeKey(key);
      const versions = byScope.get(scope) ?? [];
      const existing = versions.find((v) => v.version === key.version);
      if (destroyed.has(scope)) return copy(versions.at(-1) as DataKeyRecord);
      if (existing) return copy(existing);
      const record: DataKeyRecord = { ...key, createdAt: new Date().toISOString() };
      if (record.subjectId === undefined) delete record.subjectId;
      versions.push(record);
      versions.sort((a, b) => a.version - b.version);
      byScope.set(scope, versions);
      byRef.set(refKey(key.keyId, key.version), record);
      return copy(record);
    },
    async latest(scope: KeyScope) {
      const last = byScope.get(scopeKey(scope))?.at(-1);
      return last && copy(last);
    },
    async get(keyId, version) {
      const r = byRef.get(refKey(keyId, version));
      return r && copy(r);
    },
    async list(q: KeyListQuery) {
      const { after, tenantId, kekIdNot } = q;
      return [...byRef.values()]
        .filter(
          (r) =>
            r.wrapped !== undefined &&
            (tenantId === undefined || r.tenantId === tenantId) &&
            (kekIdNot === undefined || r.kekId !== kekIdNot) &&
            (after === undefined || byRefOrder(r, after) > 0),
        )
        .sort(byRefOrder)
        .slice(0, q.limit)
        .map(copy);
    },
    async rewrap(ref, fromKekId, next) {
      const r = byRef.get(refKey(ref.keyId, ref.version));
      if (!r || r.wrapped === undefined || r.kekId !== fromKekId) return false;
      r.kekId = next.kekId;
      r.wrapped = next.wrapped;
      return true;
    },
    async destroy(scope) {
      const key = scopeKey(scope);
      const versions = byScope.get(key);
      if (!versions) return 0;
      destroyed.add(key);
      const at = new Date().toISOString();
      let n = 0;
      for (const r of versions) {
        if (r.destroyedAt) continue;
        delete r.wrapped;
        delete r.kekId;
        r.destroyedAt = at;
        n++;
      }
      return n;
    },
  };
}
