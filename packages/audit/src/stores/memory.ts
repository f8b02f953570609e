import { type Checkpoint, linkEventsInSlices } from '../chain.js';
import type { PendingEvent, StoredEvent } from '../schema.js';
import {
  type AuditPage,
  type AuditQuery,
  type AuditStore,
  type ChainRange,
  clampLimit,
  decodeCursor,
  encodeCursor,
  newerFirst,
  type PurgeRequest,
  type PurgeResult,
} from '../store.js';

/** Does `e` match every filter of `q` (except the cursor)? Shared by in-process stores. */
export function matches(e: StoredEvent, q: AuditQuery): boolean {
  if (q.tenantId !== undefined && e.tenantId !== q.tenantId) return false;
  if (q.from && Date.parse(e.occurredAt) < q.from.getTime()) return false;
  if (q.to && Date.parse(e.occurredAt) >= q.to.getTime()) return false;
  if (q.actorId !== undefined && e.actor.id !== q.actorId) return false;
  if (q.action !== undefined) {
    if (q.action.endsWith('*')) {
      if (!e.action.startsWith(q.action.slice(0, -1))) return false;
    } else if (e.action !== q.action) return false;
  }
  if (q.targetType !== undefined || q.targetId !== undefined) {
    const hit = e.targets.some(
      (t) =>
        (q.targetType === undefined || t.type === q.targetType) &&
        (q.targetId === undefined || t.id === q.targetId),
    );
    if (!hit) return false;
  }
  if (q.outcome !== undefined && e.outcome !== q.outcome) return false;
  if (q.requestId !== undefined && e.request.requestId !== q.requestId) return false;
  if (q.text) {
    const hay = JSON.stringify(e).toLowerCase();
    for (const word of q.text.toLowerCase().split(/\s+/).filter(Boolean)) {
      if (!hay.includes(word)) return false;
    }
  }
  return true;
}

/**
 * An in-process store for tests, demos and single-process apps that accept losing the
 * trail on restart. Same contract and chain as the PostgreSQL store.
 *
 * @example
 * const audit = auditTrail({ store: memoryStore() });
 */
export function memoryStore(): AuditStore {
  const chains = new Map<string, StoredEvent[]>();
  const ids = new Set<string>();
  const checkpoints = new Map<string, Checkpoint[]>();
  const heads = new Map<string, { seq: number; hash: string; recordedAt: string }>();

  async function appendNow(events: readonly PendingEvent[]): Promise<StoredEvent[]> {
    const byTenant = new Map<string, PendingEvent[]>();
    for (const e of events) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
      const list = byTenant.get(e.tenantId) ?? [];
      list.push(structuredClone(e));
      byTenant.set(e.tenantId, list);
    }
    const out: StoredEvent[] = [];
    for (const [tenantId, list] of byTenant) {
      const head = heads.get(tenantId);
      let now = new Date().toISOString();
      if (head && head.recordedAt > now) now = head.recordedAt;
      const linked = await linkEventsInSlices(head, list, now);
      const chain = chains.get(tenantId) ?? [];
      chain.push(...linked);
      chains.set(tenantId, chain);
      const last = linked[linked.length - 1]!;
      heads.set(tenantId, { seq: last.seq, hash: last.hash, recordedAt: now });
      out.push(...linked);
    }
    return structuredClone(out);
  }

  // Appends run one at a time: linking yields to the event loop, and a second append must
  // not read a tenant's head before the first has moved it.
  let appending: Promise<unknown> = Promise.resolve();

  return {
    append(events: readonly PendingEvent[]) {
      const run = appending.then(() => appendNow(events));
      appending = run.catch(() => undefined);
      return run;
    },

    async query(q: AuditQuery): Promise<AuditPage> {
      const limit = clampLimit(q.limit);
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const source =
        q.tenantId !== undefined ? (chains.get(q.tenantId) ?? []) : [...chains.values()].flat();
      const hits = source
        .filter((e) => matches(e, q))
        .filter((e) => !after || newerFirst(e, { ...e, ...after }) > 0)
        .sort(newerFirst);
      const events = structuredClone(hits.slice(0, limit));
      const last = events[events.length - 1];
      return hits.length > limit && last ? { events, nextCursor: encodeCursor(last) } : { events };
    },

    async *export(range: ChainRange) {
      const chain = chains.get(range.tenantId) ?? [];
      for (const e of chain) {
        if (range.fromSeq !== undefined && e.seq < range.fromSeq) continue;
        if (range.toSeq !== undefined && e.seq > range.toSeq) break;
        yield structuredClone(e);
      }
    },

    async purge(request: PurgeRequest): Promise<PurgeResult> {
      const result: PurgeResult = { removed: 0, dropped: [], kept: [], checkpoints: [] };
      const cutoff = request.before.toISOString();
      for (const [tenantId, chain] of chains) {
        const expired = chain.filter((e) => e.recordedAt < cutoff);
        if (expired.length === 0) continue;
        if (request.holds.includes(tenantId)) {
          result.kept.push(tenantId);
          continue;
        }
        const last = expired[expired.length - 1]!;
        const cp = request.sign({ tenantId, seq: last.seq, hash: last.hash });
        await this.saveCheckpoint(cp);
        result.checkpoints.push(cp);
        chains.set(tenantId, chain.slice(expired.length));
        result.removed += expired.length;
        result.dropped.push(tenantId);
      }
      return result;
    },

    async head(tenantId) {
      const h = heads.get(tenantId);
      return h ? { seq: h.seq, hash: h.hash } : undefined;
    },
    async saveCheckpoint(cp) {
      const list = checkpoints.get(cp.tenantId) ?? [];
      list.push({ ...cp });
      checkpoints.set(cp.tenantId, list);
    },
    async checkpoints(tenantId) {
      return (checkpoints.get(tenantId) ?? []).map((c) => ({ ...c })).sort((a, b) => a.seq - b.seq);
    },
    async tenants() {
      return [...heads.keys()];
    },
  };
}
