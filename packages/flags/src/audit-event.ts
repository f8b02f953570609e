import type { FlagState } from './model.js';
import type { ChangeRecord, DiffEntry } from './store.js';

/**
 * A flag change in the shape `@platform/audit`'s `record()` takes, built without
 * depending on that package: pass it straight through from `onChange`.
 */
export interface FlagAuditEvent {
  /** `flag.create`, `flag.update` or `flag.delete`. */
  action: `flag.${ChangeRecord['action']}`;
  crud: 'c' | 'u' | 'd';
  outcome: 'success';
  /** Present when the change names its actor; otherwise the audit trail uses the request's. */
  actor?: { id: string };
  targets: [{ type: 'flag'; id: string }];
  changes: { before: FlagState | null; after: FlagState | null };
  metadata: { version: number; diff: DiffEntry[] };
  occurredAt: string;
}

const CRUD = { create: 'c', update: 'u', delete: 'd' } as const;

/**
 * Maps a change record (from `onChange`) to an audit event: who changed which flag, the
 * before/after states, the field-level diff and the flag's new version.
 *
 * @example
 * const flags = createFlags({ definitions, store, onChange: (c) => { trail.record(flagAuditEvent(c)); } });
 */
export function flagAuditEvent(change: ChangeRecord): FlagAuditEvent {
  return {
    action: `flag.${change.action}`,
    crud: CRUD[change.action],
    outcome: 'success',
    ...(change.actor ? { actor: { id: change.actor } } : {}),
    targets: [{ type: 'flag', id: change.key }],
    changes: { before: change.before, after: change.after },
    metadata: { version: change.version, diff: change.diff },
    occurredAt: change.at,
  };
}
