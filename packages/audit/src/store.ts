import { ValidationError } from '@platform/errors';
import type { Checkpoint } from './chain.js';
import type { AuditEvent, PendingEvent, StoredEvent } from './schema.js';

/** Search filters; every one is optional and they combine with AND. Newest first. */
export interface AuditQuery {
  tenantId?: string;
  /** Inclusive lower bound on `occurredAt`. */
  from?: Date;
  /** Exclusive upper bound on `occurredAt`. */
  to?: Date;
  actorId?: string;
  /** Exact action, or a prefix ending in `*` (`invoice.*`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditEvent['outcome'];
  requestId?: string;
  /** Words that must all appear in the event's text fields. */
  text?: string;
  /** Page size, 1..1000 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  events: StoredEvent[];
  /** Present when more events match. */
  nextCursor?: string;
}

/** One tenant's chain, in seq order. */
export interface ChainRange {
  tenantId: string;
  fromSeq?: number;
  toSeq?: number;
}

export interface PurgeRequest {
  /** Events recorded before this instant are expired. */
  before: Date;
  /** Tenants under legal hold: none of their events is removed. */
  holds: readonly string[];
  /** Signs the checkpoint at each tenant's purge boundary; the store saves it before removing anything. */
  sign(boundary: { tenantId: string; seq: number; hash: string }): Checkpoint;
}

export interface PurgeResult {
  /** Events removed. */
  removed: number;
  /** Storage units dropped (partitions for PostgreSQL). */
  dropped: string[];
  /** Units kept because a tenant under legal hold has events in them. */
  kept: string[];
  checkpoints: Checkpoint[];
}

/**
 * Where audit events live. `append` places a batch in each tenant's hash chain
 * atomically (all or nothing) and ignores events whose id is already stored, so a
 * retried batch is stored exactly once.
 */
export interface AuditStore {
  append(events: readonly PendingEvent[]): Promise<StoredEvent[]>;
  query(query: AuditQuery): Promise<AuditPage>;
  /** Streams a tenant's chain in seq order, without holding it in memory. */
  export(range: ChainRange): AsyncIterable<StoredEvent>;
  purge(request: PurgeRequest): Promise<PurgeResult>;
  /** The last link of a tenant's chain. */
  head(tenantId: string): Promise<{ seq: number; hash: string } | undefined>;
  saveCheckpoint(checkpoint: Checkpoint): Promise<void>;
  checkpoints(tenantId: string): Promise<Checkpoint[]>;
  /** Tenants that have a chain. */
  tenants(): Promise<string[]>;
  close?(): Promise<void>;
  /**
   * Resolves when the store's backend answers, rejects otherwise (within the store's
   * deadline, never hanging). Optional; used by health checks (`checkFromStore`).
   */
  ping?(): Promise<void>;
  /**
   * Gives the store the trail's `onError`, for what goes wrong outside any call (a pooled
   * connection that dies while idle). The trail calls it once, when it is built.
   */
  reportTo?(onError: (error: unknown, where: string) => void): void;
}

const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(e: { recordedAt: string; id: string }): string {
  return Buffer.from(`${e.recordedAt}|${e.id}`).toString('base64url');
}

/**
 * Reads a `nextCursor` back. Anything that is not one (a client's typo, a forged value) is
 * a `ValidationError` (400), never a store error: a store receives only a valid instant and
 * UUID.
 */
export function decodeCursor(cursor: string): { recordedAt: string; id: string } {
  const malformed = () =>
    new ValidationError('Malformed cursor', {
      errors: [{ path: 'cursor', message: 'not a cursor returned by this API' }],
    });
  if (!CURSOR.test(cursor)) throw malformed();
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const [recordedAt, id] = parts;
  if (
    parts.length !== 2 ||
    !recordedAt ||
    !id ||
    !CURSOR_TIME.test(recordedAt) ||
    Number.isNaN(Date.parse(recordedAt)) ||
    !CURSOR_ID.test(id)
  )
    throw malformed();
  return { recordedAt, id };
}

/** Newest first: recordedAt descending, then id descending. */
export function newerFirst(a: StoredEvent, b: StoredEvent): number {
  if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const clampLimit = (limit: number | undefined) =>
  Math.min(Math.max(Math.trunc(limit ?? 50), 1), 1000);
