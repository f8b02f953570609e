import { after, decodeCursor, encodeCursor, pageSize } from './cursor.js';
import type { ApiKeyRecord, ApiKeyStore } from './store.js';

const copy = (r: ApiKeyRecord): ApiKeyRecord => ({
  ...r,
  scopes: [...r.scopes],
  roles: [...r.roles],
});

/**
 * API keys in a Map, for one process and tests. Records are copied in and out, so a caller
 * changing what it got changes nothing stored.
 *
 * @example
 * const keys = apiKeys({ store: memoryKeyStore() });
 */
export function memoryKeyStore(): ApiKeyStore & { clear(): void } {
  const keys = new Map<string, ApiKeyRecord>();
  return {
    name: 'memory',
    async insert(record) {
      if (keys.has(record.id)) throw new Error(`API key ${record.id} exists`);
      keys.set(record.id, copy(record));
    },
    async get(id) {
      const r = keys.get(id);
      return r && copy(r);
    },
    async list(query) {
      const limit = pageSize(query.limit);
      const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const matching = [...keys.values()]
        .filter(
          (r) =>
            (query.tenantId === undefined || r.tenantId === query.tenantId) &&
            (query.includeRevoked || r.revokedAt === undefined) &&
            after(r, cursor),
        )
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      const page = matching.slice(0, limit).map(copy);
      const last = page[page.length - 1];
      return matching.length > limit && last
        ? { keys: page, nextCursor: encodeCursor(last) }
        : { keys: page };
    },
    async rotate(id, rotation) {
      const r = keys.get(id);
      if (!r || r.revokedAt !== undefined) return undefined;
      r.previousHash = r.secretHash;
      r.previousExpiresAt = rotation.previousExpiresAt;
      r.secretHash = rotation.secretHash;
      r.rotatedAt = rotation.at;
      return copy(r);
    },
    async revoke(id, at) {
      const r = keys.get(id);
      if (!r) return undefined;
      r.revokedAt ??= at;
      return copy(r);
    },
    async addUsage(usage) {
      for (const u of usage) {
        const r = keys.get(u.id);
        if (!r) continue;
        r.uses += u.uses;
        r.lastUsedAt = Math.max(r.lastUsedAt ?? 0, u.lastUsedAt);
      }
    },
    clear: () => keys.clear(),
  };
}
