import type { RotateResult, SessionRecord, SessionStore } from './store.js';

export interface MemorySessionStoreOptions {
  /** Most sessions kept; expired ones are swept first, then the oldest go. Default 100 000. */
  maxSessions?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Sessions in this process's memory: for one process and for tests. Bounded.
 *
 * @example
 * const sessions = createSessions({ store: memorySessionStore(), secret });
 */
export function memorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const max = options.maxSessions ?? 100_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, SessionRecord>();
  const byUser = new Map<string, Set<string>>();

  const drop = (id: string): SessionRecord | undefined => {
    const s = sessions.get(id);
    if (!s) return undefined;
    sessions.delete(id);
    const ids = byUser.get(s.userId);
    ids?.delete(id);
    if (ids?.size === 0) byUser.delete(s.userId);
    return s;
  };
  const live = (id: string): SessionRecord | undefined => {
    const s = sessions.get(id);
    if (s && s.expiresAt <= now()) {
      drop(id);
      return undefined;
    }
    return s;
  };
  const copy = (s: SessionRecord): SessionRecord => ({ ...s, roles: [...s.roles] });
  const makeRoom = () => {
    if (sessions.size < max) return;
    const t = now();
    for (const [id, s] of sessions) if (s.expiresAt <= t) drop(id);
    // Map keeps insertion order: the first entries are the oldest sessions
    for (const id of sessions.keys()) {
      if (sessions.size < max) break;
      drop(id);
    }
  };

  return {
    async create(session) {
      makeRoom();
      sessions.set(session.id, copy(session));
      const ids = byUser.get(session.userId) ?? new Set<string>();
      ids.add(session.id);
      byUser.set(session.userId, ids);
    },
    async get(id) {
      const s = live(id);
      return s && copy(s);
    },
    async rotate(id, generation, expiresAt): Promise<RotateResult> {
      const s = live(id);
      if (!s) return { outcome: 'invalid' };
      if (generation === s.generation) {
        s.generation += 1;
        s.expiresAt = expiresAt;
        return { outcome: 'rotated', session: copy(s) };
      }
      if (generation < s.generation) {
        drop(id);
        return { outcome: 'reused', userId: s.userId };
      }
      return { outcome: 'invalid' };
    },
    async revoke(id) {
      return live(id) !== undefined && drop(id) !== undefined;
    },
    async sweep() {
      const before = sessions.size;
      const t = now();
      for (const [id, s] of sessions) if (s.expiresAt <= t) drop(id);
      return before - sessions.size;
    },
    async revokeUser(userId) {
      let n = 0;
      for (const id of [...(byUser.get(userId) ?? [])]) if (live(id) && drop(id)) n++;
      return n;
    },
  };
}
