import { getContext, uuidv7 } from '@platform/core';
import { neutralize } from './redact.js';
import { type AuditInput, crudOf, type PendingEvent, SCHEMA_VERSION } from './schema.js';

type Redact = (value: unknown, at?: readonly string[]) => unknown;

const str = (v: unknown, max: number) =>
  typeof v === 'string' && v ? neutralize(v).slice(0, max) : undefined;

// The paths of the first targets, made once: the redactor only reads them.
const TARGET_PATHS = Array.from({ length: 64 }, (_, i) => ['targets', String(i)] as const);
const CHANGES_PATH = ['changes'] as const;
const METADATA_PATH = ['metadata'] as const;

/**
 * Returns `build(input)`: the pending event `record()` queues, filled from the request
 * context and redacted, members in the schema's order (what `trustedPending()` expects).
 * Optional members are added in place, in that order, instead of spread in: an object
 * literal with spreads takes a slow path in V8 that allocates several times the event's
 * size and may leave it in dictionary mode, and queued events live until the next batch.
 */
export function eventBuilder(redact: Redact, defaultTenant: string) {
  const redactTarget = (t: unknown, i: number) =>
    redact(t, TARGET_PATHS[i] ?? ['targets', String(i)]);
  return (input: AuditInput): PendingEvent => {
    const ctx = getContext();
    const ctxActor = ctx?.actor;
    const occurred = input.occurredAt === undefined ? new Date() : new Date(input.occurredAt);
    const event: Record<string, unknown> = {
      schemaVersion: SCHEMA_VERSION,
      id: input.id ?? uuidv7(),
      tenantId: input.tenantId ?? ctx?.tenantId ?? defaultTenant,
      occurredAt: occurred.toISOString(),
      action: input.action,
      crud: input.crud ?? crudOf(input.action),
      outcome: input.outcome ?? 'success',
    };
    if (input.reason !== undefined) event.reason = str(input.reason, 2048);
    if (input.statusCode !== undefined) event.statusCode = input.statusCode;
    event.severity = input.severity ?? (input.outcome === 'failure' ? 'medium' : 'info');
    const actor = input.actor ?? {};
    const who: Record<string, unknown> = {
      type: actor.type ?? ctxActor?.type ?? (actor.id ? 'user' : 'anonymous'),
      id: actor.id ?? ctxActor?.id ?? 'anonymous',
    };
    const name = actor.name ?? ctxActor?.name;
    if (name) who.name = str(name, 2048);
    if (actor.impersonatorId) who.impersonatorId = actor.impersonatorId;
    event.actor = who;
    event.targets = (input.targets ?? []).map(redactTarget);
    event.source = {
      ip: input.source?.ip ?? ctx?.ip,
      userAgent: str(input.source?.userAgent ?? ctx?.userAgent, 512),
    };
    event.request = {
      method: input.request?.method ?? ctx?.method,
      route: str(input.request?.route ?? ctx?.route ?? ctx?.path, 512),
      requestId: input.request?.requestId ?? ctx?.requestId,
      traceId: input.request?.traceId ?? ctx?.traceId,
      spanId: input.request?.spanId ?? ctx?.spanId,
    };
    if (input.changes) event.changes = redact(input.changes, CHANGES_PATH);
    event.metadata =
      input.metadata === undefined ? {} : (redact(input.metadata, METADATA_PATH) ?? {});
    return event as unknown as PendingEvent;
  };
}
