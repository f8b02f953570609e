import { type AuditStore, auditTrail, linkEventsInSlices, memoryStore } from '@platform/audit';

/**
 * A store that links every batch into its tenant's hash chain (the CPU work a real store
 * does per event) and then discards it, so a long run neither grows memory nor measures a
 * database: the HTTP suite isolates what the middleware adds to the request path.
 */
function chainSink(): AuditStore {
  const heads = new Map<string, { seq: number; hash: string }>();
  const base = memoryStore();
  return {
    ...base,
    async append(events) {
      const tenantId = events[0]?.tenantId ?? 'default';
      const linked = await linkEventsInSlices(
        heads.get(tenantId),
        events,
        new Date().toISOString(),
      );
      const last = linked[linked.length - 1];
      if (last) heads.set(tenantId, { seq: last.seq, hash: last.hash });
      return linked;
    },
  };
}

export const benchTrail = () => auditTrail({ store: chainSink(), log: false, shutdown: false });
