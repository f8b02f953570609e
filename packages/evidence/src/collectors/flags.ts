import type { AuditTrail } from '@platform/audit';
import type { ChangeRecord, FlagStore } from '@platform/flags';
import { eventTable, readEvents } from './audit-events.js';
import { type Collector, collected, type EvidenceFile, notCollected } from './types.js';

export interface FlagChangesOptions {
  /** Flag changes recorded in the audit trail (`flag.*`, from `flagAuditEvent`). */
  trail?: Pick<AuditTrail, 'store'>;
  /** A flag store with `history` (`@platform/flags`): every flag's change records in the period. */
  store?: Pick<FlagStore, 'load' | 'history'>;
  /** Audit actions of flag changes. Default `['flag.*']`. */
  actions?: readonly string[];
  maxEvents?: number;
}

const HISTORY_COLUMNS = ['at', 'key', 'version', 'action', 'actor', 'changedFields'] as const;

/**
 * Flag change history: the `flag.*` events of the audit trail and, when a flag store with
 * history is given, its change records (who, when, field-level diff).
 *
 * @example
 * const flagChanges = flagChanges({ trail, store: flagStore });
 */
export function flagChanges(options: FlagChangesOptions): Collector {
  const actions = options.actions ?? ['flag.*'];
  return {
    id: 'flag-changes',
    title: 'Feature flag change history',
    async collect(context) {
      const { trail, store } = options;
      if (!trail && !store?.history)
        return notCollected('no audit trail and no flag store with history configured');
      const files: EvidenceFile[] = [];
      const parts: string[] = [];
      if (trail) {
        const { events, truncated } = await readEvents(
          trail,
          actions,
          context,
          options.maxEvents ?? 10_000,
        );
        files.push({
          name: 'flag-audit-events',
          json: { actions, count: events.length, truncated, events },
          table: eventTable(events),
        });
        parts.push(`${events.length} flag change event(s) in the audit trail`);
      }
      if (store?.history) {
        const { flags } = await store.load();
        const records: ChangeRecord[] = [];
        for (const flag of flags) {
          context.signal.throwIfAborted();
          for (const r of await store.history(flag.key, { limit: 1000 })) {
            const at = Date.parse(r.at);
            if (at >= context.period.from.getTime() && at < context.period.to.getTime())
              records.push(r);
          }
        }
        records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        files.push({
          name: 'flag-history',
          json: { count: records.length, records },
          table: {
            columns: HISTORY_COLUMNS,
            rows: records.map((r) => [
              r.at,
              r.key,
              r.version,
              r.action,
              r.actor,
              r.diff.map((d) => d.path).join(' '),
            ]),
          },
        });
        parts.push(`${records.length} change record(s) in the flag store's history`);
      }
      return collected(parts.join('; '), files);
    },
  };
}
