import type { AuditTrail, StoredEvent } from '@platform/audit';
import {
  type CollectContext,
  type Collector,
  collected,
  type EvidenceTable,
  notCollected,
} from './types.js';

export interface AuditEventsOptions {
  /** The host's audit trail; without it the collector answers "not collected". */
  trail?: Pick<AuditTrail, 'store'>;
  /** Exact actions or prefixes ending in `*` (`api_key.*`). */
  actions?: readonly string[];
  /** Events kept per collector (default 10,000); the rest is counted as truncated. */
  maxEvents?: number;
}

const PAGE = 1000;

/**
 * Every audit event of the period whose action matches, read from the store directly (a
 * trail's `search()` would record each page it reads as `audit.log.view`).
 */
export async function readEvents(
  trail: Pick<AuditTrail, 'store'>,
  actions: readonly (string | undefined)[],
  context: CollectContext,
  maxEvents: number,
): Promise<{ events: StoredEvent[]; truncated: boolean }> {
  const byId = new Map<string, StoredEvent>();
  let truncated = false;
  for (const action of actions) {
    let cursor: string | undefined;
    do {
      context.signal.throwIfAborted();
      const page = await trail.store.query({
        tenantId: context.tenant,
        from: context.period.from,
        to: context.period.to,
        action,
        limit: PAGE,
        cursor,
      });
      for (const e of page.events) {
        if (byId.size >= maxEvents) truncated = true;
        else byId.set(e.id, e);
      }
      cursor = truncated ? undefined : page.nextCursor;
    } while (cursor);
  }
  const events = [...byId.values()].sort((a, b) =>
    a.occurredAt === b.occurredAt ? a.seq - b.seq : a.occurredAt < b.occurredAt ? -1 : 1,
  );
  return { events, truncated };
}

export const EVENT_COLUMNS = [
  'occurredAt',
  'tenantId',
  'seq',
  'action',
  'outcome',
  'actorType',
  'actorId',
  'targets',
  'reason',
  'requestId',
  'hash',
] as const;

/** Audit events as evidence rows (the hash ties each row to the verified chain). */
export function eventTable(events: readonly StoredEvent[]): EvidenceTable {
  return {
    columns: EVENT_COLUMNS,
    rows: events.map((e) => [
      e.occurredAt,
      e.tenantId,
      e.seq,
      e.action,
      e.outcome,
      e.actor.type,
      e.actor.id,
      e.targets.map((t) => `${t.type}:${t.id}`).join(' '),
      e.reason,
      e.request.requestId,
      e.hash,
    ]),
  };
}

function countBy(events: readonly StoredEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.action] = (out[e.action] ?? 0) + 1;
  return out;
}

/**
 * A collector of audit events by action name: admin and role changes, API-key lifecycle,
 * privacy requests, or any set the host names.
 *
 * @example
 * const keys = auditEvents('api-keys', 'API key lifecycle', { trail, actions: ['api_key.*'] });
 */
export function auditEvents(id: string, title: string, options: AuditEventsOptions): Collector {
  const actions = options.actions ?? [];
  const max = options.maxEvents ?? 10_000;
  return {
    id,
    title,
    async collect(context) {
      if (!options.trail) return notCollected('no audit trail configured');
      if (actions.length === 0) return notCollected('no audit actions configured');
      const { events, truncated } = await readEvents(options.trail, actions, context, max);
      const byAction = countBy(events);
      const failures = events.filter((e) => e.outcome === 'failure').length;
      const summary =
        `${events.length} event(s) matching ${actions.join(', ')}` +
        (failures ? `, ${failures} refused or failed` : '') +
        (truncated ? ` (first ${max} kept)` : '');
      return collected(summary, [
        {
          name: id,
          json: { actions, count: events.length, truncated, byAction, events },
          table: eventTable(events),
        },
      ]);
    },
  };
}
