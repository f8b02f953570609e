import { after, decodeCursor, encodeCursor, pageSize } from './cursor.js';
import type { ApiKeyRecord, ApiKeyStore } from './store.js';

/** A frozen copy: handed out as is, so a read (one per request) copies nothing. */
const frozen = (r: ApiKeyRecord): ApiKeyRecord =>
  Object.freeze({
    ...r,
    scopes: Object.freeze([...r.scopes]),
    roles: Object.freeze([...r.roles]),
  }) as ApiKeyRecord;

/**
 * API keys in a Map, for one process and tests. Records are frozen copies, replaced on every
 * change: what a caller got never changes under it, and it cannot change what is stored.
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
      keys.set(record.id, frozen(record));
    },
    async get(id) {
      return keys.get(id);
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
      const page = matching.slice(0, limit);
      const last = page[page.length - 1];
      return matching.length > limit && last
        ? { keys: page, nextCursor: encodeCursor(last) }
        : { keys: page };
    },
    async rotate(id, rotation) {
      const r = keys.get(id);
      if (!r || r.revokedAt !== undefined) return undefined;
      const next = frozen({
        ...r,
        previousHash: r.secretHash,
        previousExpiresAt: rotation.previousExpiresAt,
        secretHash: rotation.secretHash,
        rotatedAt: rotation.at,
      });
      keys.set(id, next);
      return next;
    },
    async revoke(id, at) {
      const r = keys.get(id);
      if (!r || r.revokedAt !== undefined) return r;
      const next = frozen({ ...r, revokedAt: at });
      keys.set(id, next);
      return next;
    },
    async addUsage(usage) {
      for (const u of usage) {
        const r = keys.get(u.id);
        if (!r) continue;
        const lastUsedAt = Math.max(r.lastUsedAt ?? 0, u.lastUsedAt);
        keys.set(u.id, frozen({ ...r, uses: r.uses + u.uses, lastUsedAt }));
      }
    },
    clear: () => keys.clear(),
  };
}
