import type { Checkpoint } from '../chain.js';
import type { StoredEvent } from '../schema.js';
import { type AuditQuery, decodeCursor } from '../store.js';
import { TEXT_VECTOR } from './pg-schema.js';

export type Row = Record<string, unknown>;
export const COLS =
  'tenant_id, seq, id, occurred_at, recorded_at, action, outcome, actor_id, request_id, prev_hash, hash, data';
export const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();

/** Columns win over `data`: an edit to either breaks the hash. */
export function toEvent(r: Row): StoredEvent {
  const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as StoredEvent;
  const request = { ...data.request };
  if (r.request_id === null) delete request.requestId;
  else request.requestId = String(r.request_id);
  return {
    ...data,
    tenantId: String(r.tenant_id),
    seq: Number(r.seq),
    id: String(r.id),
    occurredAt: iso(r.occurred_at),
    recordedAt: iso(r.recorded_at),
    action: String(r.action),
    outcome: r.outcome as StoredEvent['outcome'],
    actor: { ...data.actor, id: String(r.actor_id) },
    request,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}

export const toCheckpoint = (r: Row): Checkpoint => ({
  tenantId: String(r.tenant_id),
  seq: Number(r.seq),
  hash: String(r.hash),
  createdAt: iso(r.created_at),
  kind: r.kind as Checkpoint['kind'],
  keyId: String(r.key_id),
  signature: String(r.signature),
});

/** The search statement for `q` over schema `s` (quoted), newest first, one row past the page. */
export function searchSql(
  s: string,
  q: AuditQuery,
  limit: number,
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.tenantId !== undefined) where.push(`tenant_id = ${p(q.tenantId)}`);
  if (q.from) where.push(`occurred_at >= ${p(q.from.toISOString())}::timestamptz`);
  if (q.to) where.push(`occurred_at < ${p(q.to.toISOString())}::timestamptz`);
  if (q.actorId !== undefined) where.push(`actor_id = ${p(q.actorId)}`);
  if (q.action !== undefined) {
    if (q.action.endsWith('*')) {
      const prefix = q.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
      where.push(`action LIKE ${p(`${prefix}%`)}`);
    } else where.push(`action = ${p(q.action)}`);
  }
  if (q.targetType !== undefined || q.targetId !== undefined) {
    const t: Record<string, string> = {};
    if (q.targetType !== undefined) t.type = q.targetType;
    if (q.targetId !== undefined) t.id = q.targetId;
    where.push(`data -> 'targets' @> ${p(JSON.stringify([t]))}::jsonb`);
  }
  if (q.outcome !== undefined) where.push(`outcome = ${p(q.outcome)}`);
  if (q.requestId !== undefined) where.push(`request_id = ${p(q.requestId)}`);
  if (q.text) {
    where.push(`(${TEXT_VECTOR}) @@ plainto_tsquery('simple', ${p(q.text)})`);
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(`(recorded_at, id) < (${p(c.recordedAt)}::timestamptz, ${p(c.id)}::uuid)`);
  }
  const sql = `SELECT ${COLS} FROM ${s}.audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY recorded_at DESC, id DESC LIMIT ${limit + 1}`;
  return { sql, params };
}
