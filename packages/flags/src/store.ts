import { ConflictError } from '@platform/errors';
import type { FlagState, Segment, StoreSnapshot } from './model.js';

/** One field that changed between two versions of a flag. */
export interface DiffEntry {
  path: string;
  before: unknown;
  after: unknown;
}

/** One recorded write: who, when, and the before/after of the flag. */
export interface ChangeRecord {
  key: string;
  /** The flag's version after the change (the deleted version for deletes). */
  version: number;
  action: 'create' | 'update' | 'delete';
  actor?: string;
  at: string;
  before: FlagState | null;
  after: FlagState | null;
  diff: DiffEntry[];
}

export interface WriteOptions {
  /** Optimistic concurrency: the version the caller read (0: the flag must not exist). */
  expectedVersion?: number;
  /** Who makes the change, recorded in history. */
  actor?: string;
}

/** Evaluation counts for one flag × variant × tenant ('' when none). */
export interface EvaluationCount {
  flag: string;
  variant: string;
  tenant: string;
  count: number;
  /** ISO timestamp of the latest evaluation counted. */
  lastEvaluated: string;
}

/**
 * A flag store: the required surface is `load`; writes, history, live updates and
 * analytics are optional capabilities (the file store is read-only, for instance).
 * The client validates and compiles what `load` returns; stores only persist.
 */
export interface FlagStore {
  /** Names the store in diagnostics, e.g. `postgres public.platform_flags`. */
  readonly name?: string;
  /** Every flag and segment, as stored. */
  load(): Promise<StoreSnapshot>;
  /** Creates or replaces a flag; bumps its version; rejects with VersionConflictError on a stale `expectedVersion`. */
  put?(flag: FlagState, options?: WriteOptions): Promise<FlagState>;
  remove?(key: string, options?: WriteOptions): Promise<boolean>;
  putSegment?(segment: Segment): Promise<Segment>;
  removeSegment?(key: string): Promise<boolean>;
  /** Changes of one flag, newest first. */
  history?(key: string, options?: { limit?: number }): Promise<ChangeRecord[]>;
  /** Calls `listener` after any change, from any instance sharing the store. Returns an unsubscribe. */
  subscribe?(listener: () => void): () => void;
  /** Adds counts (summing per flag × variant × tenant, keeping the latest time). */
  recordEvaluations?(counts: EvaluationCount[]): Promise<void>;
  evaluations?(): Promise<EvaluationCount[]>;
  close?(): Promise<void>;
  /**
   * Resolves when the store's backend answers, rejects otherwise (within the store's
   * deadline, never hanging). Optional; used by health checks (`checkFromStore`).
   */
  ping?(): Promise<void>;
}

/** 409: a write carried a stale `expectedVersion`. */
export class VersionConflictError extends ConflictError {
  override name = 'VersionConflictError';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Flag "${key}" is at version ${actual}, not ${expected}`, {
      code: 'flag_version_conflict',
      details: { key, expected, actual },
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const IGNORED = new Set(['version', 'updatedAt', 'updatedBy', 'createdAt']);

/** Field-level differences between two versions of a flag (dotted paths). */
export function diffFlags(before: unknown, after: unknown, path = ''): DiffEntry[] {
  if (isObject(before) && isObject(after)) {
    const out: DiffEntry[] = [];
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (path === '' && IGNORED.has(k)) continue;
      const b = Object.hasOwn(before, k) ? before[k] : undefined;
      const a = Object.hasOwn(after, k) ? after[k] : undefined;
      out.push(...diffFlags(b, a, path ? `${path}.${k}` : k));
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '(root)', before: before ?? null, after: after ?? null }];
}

/** Applies version, timestamps and actor to a flag being written. */
export function stamp(
  flag: FlagState,
  previous: FlagState | undefined,
  actor: string | undefined,
): FlagState {
  const now = new Date().toISOString();
  const out: FlagState = {
    ...structuredClone(flag),
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? flag.createdAt ?? now,
    updatedAt: now,
  };
  if (actor !== undefined) out.updatedBy = actor;
  else delete out.updatedBy;
  return out;
}

/** Builds the history record of a write. */
export function changeRecord(
  key: string,
  before: FlagState | null,
  after: FlagState | null,
  actor: string | undefined,
): ChangeRecord {
  const record: ChangeRecord = {
    key,
    version: after?.version ?? before?.version ?? 0,
    action: before === null ? 'create' : after === null ? 'delete' : 'update',
    at: new Date().toISOString(),
    before,
    after,
    diff: diffFlags(before ?? {}, after ?? {}),
  };
  if (actor !== undefined) record.actor = actor;
  return record;
}

/** Throws VersionConflictError unless `expected` matches (undefined: any). */
export function checkVersion(key: string, expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual)
    throw new VersionConflictError(key, expected, actual);
}

/** Sums evaluation counts into `into`, keyed by flag × variant × tenant. */
export function mergeCounts(into: Map<string, EvaluationCount>, counts: EvaluationCount[]): void {
  for (const c of counts) {
    const k = `${c.flag}\u0000${c.variant}\u0000${c.tenant}`;
    const prev = into.get(k);
    if (!prev) into.set(k, { ...c });
    else {
      prev.count += c.count;
      if (c.lastEvaluated > prev.lastEvaluated) prev.lastEvaluated = c.lastEvaluated;
    }
  }
}
