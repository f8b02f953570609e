import { z } from 'zod';

/** Bumped when the event shape changes; part of every hashed event. */
export const SCHEMA_VERSION = 1;

const id = z.string().min(1).max(256);
/** A dotted verb like `invoice.update`. */
export const ACTION_PATTERN = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/i;
const text = z.string().max(2048);

export const actorSchema = z.object({
  type: z.enum(['user', 'service', 'apiKey', 'system', 'agent', 'anonymous']),
  id,
  name: text.optional(),
  impersonatorId: id.optional(),
});

export const targetSchema = z.object({ type: id, id, name: text.optional() });

/**
 * One audit event, shaped after OCSF API Activity (class 6003): `actor` ↔ actor.user,
 * `source` ↔ src_endpoint + http_request.user_agent, `request` ↔ api.request / http_request,
 * `crud` ↔ activity_id (1 create, 2 read, 3 update, 4 delete), `outcome` ↔ status_id,
 * `targets` ↔ resources, `metadata` ↔ unmapped.
 */
export const auditEventSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.uuid(),
  tenantId: id,
  /** Position in the tenant's hash chain, assigned by the store (1-based). */
  seq: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  recordedAt: z.iso.datetime(),
  action: z.string().regex(ACTION_PATTERN, 'must be a dotted verb like invoice.update'),
  crud: z.enum(['c', 'r', 'u', 'd']),
  outcome: z.enum(['success', 'failure', 'unknown']),
  reason: text.optional(),
  statusCode: z.number().int().min(100).max(599).optional(),
  severity: z.enum(['info', 'low', 'medium', 'high', 'critical']),
  actor: actorSchema,
  targets: z.array(targetSchema).max(64),
  source: z.object({
    ip: z.string().max(64).optional(),
    userAgent: z.string().max(512).optional(),
  }),
  request: z.object({
    method: z.string().max(16).optional(),
    route: z.string().max(512).optional(),
    requestId: z.string().max(128).optional(),
    traceId: z.string().max(64).optional(),
    spanId: z.string().max(32).optional(),
  }),
  changes: z.object({ before: z.unknown().optional(), after: z.unknown().optional() }).optional(),
  metadata: z.record(z.string(), z.unknown()),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditActor = z.infer<typeof actorSchema>;
export type AuditTarget = z.infer<typeof targetSchema>;

/** An event as stored, with its link in the tenant's hash chain. */
export interface StoredEvent extends AuditEvent {
  prevHash: string;
  hash: string;
}

/** An event before the store places it in the chain (no seq, recordedAt or hashes). */
export type PendingEvent = Omit<AuditEvent, 'seq' | 'recordedAt'>;
/** Kept in step with `trustedPending()` in check.ts (check.test.ts compares the two). */
export const pendingEventSchema = auditEventSchema.omit({ seq: true, recordedAt: true });

/** What `audit.record()` takes: everything but `action` is optional or filled from context. */
export interface AuditInput {
  action: string;
  crud?: AuditEvent['crud'];
  outcome?: AuditEvent['outcome'];
  reason?: string;
  statusCode?: number;
  severity?: AuditEvent['severity'];
  tenantId?: string;
  actor?: Partial<AuditActor> & { id?: string };
  targets?: AuditTarget[];
  source?: AuditEvent['source'];
  request?: AuditEvent['request'];
  changes?: AuditEvent['changes'];
  metadata?: Record<string, unknown>;
  occurredAt?: Date | string;
  id?: string;
}

const CRUD_VERBS: Record<string, AuditEvent['crud']> = {
  create: 'c',
  add: 'c',
  insert: 'c',
  post: 'c',
  read: 'r',
  view: 'r',
  list: 'r',
  get: 'r',
  query: 'r',
  export: 'r',
  delete: 'd',
  remove: 'd',
  purge: 'd',
  destroy: 'd',
};

/** Guesses the CRUD class from the action's last segment (`invoice.delete` → `d`). */
export function crudOf(action: string): AuditEvent['crud'] {
  const verb = action.slice(action.lastIndexOf('.') + 1).toLowerCase();
  return Object.hasOwn(CRUD_VERBS, verb) ? (CRUD_VERBS[verb] as AuditEvent['crud']) : 'u';
}
