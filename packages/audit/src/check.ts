import { z } from 'zod';
import {
  ACTION_PATTERN,
  actorSchema,
  type PendingEvent,
  pendingEventSchema,
  targetSchema,
} from './schema.js';

// What `pendingEventSchema` checks, for the events `record()` builds itself. zod stays the
// authority: this only answers "certainly valid" (and then returns what zod would: the
// same values, keys in the schema's order, unknown keys dropped) or "ask zod".

const UUID = z.regexes.uuid();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const CRUD = new Set(['c', 'r', 'u', 'd']);
const OUTCOMES = new Set(['success', 'failure', 'unknown']);
const SEVERITIES = new Set(['info', 'low', 'medium', 'high', 'critical']);
const ACTOR_TYPES = new Set(['user', 'service', 'apiKey', 'system', 'agent', 'anonymous']);
const TARGET_KEYS = new Set(['type', 'id', 'name']);
const CHANGE_KEYS = new Set(['before', 'after']);
const EVENT_ORDER = Object.keys(pendingEventSchema.shape);
const ACTOR_ORDER = Object.keys(actorSchema.shape);
const TARGET_ORDER = Object.keys(targetSchema.shape);
const CHANGE_ORDER = ['before', 'after'];
const SOURCE_ORDER = Object.keys(pendingEventSchema.shape.source.shape);
const REQUEST_ORDER = Object.keys(pendingEventSchema.shape.request.shape);

const str = (v: unknown, min: number, max: number): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const opt = (v: unknown, max: number) => v === undefined || str(v, 0, max);
const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const only = (v: Record<string, unknown>, keys: Set<string>) => {
  for (const k in v) if (!keys.has(k)) return false;
  return true;
};
/** No unknown keys, and the known ones in the schema's order: zod's output would be the same. */
const ordered = (v: unknown, order: string[]): v is Record<string, unknown> => {
  if (!plain(v)) return false;
  let i = 0;
  for (const k in v) {
    while (i < order.length && order[i] !== k) i++;
    if (i++ === order.length) return false;
  }
  return true;
};

/** `{type, id, name?}` in the schema's order (`t` itself when it is), or undefined when zod has to look. */
function target(t: unknown) {
  if (!plain(t) || !only(t, TARGET_KEYS) || !str(t.type, 1, 256) || !str(t.id, 1, 256))
    return undefined;
  const inOrder = ordered(t as unknown, TARGET_ORDER);
  if (!('name' in t)) return inOrder ? t : { type: t.type, id: t.id };
  if (!opt(t.name, 2048)) return undefined;
  return inOrder ? t : { type: t.type, id: t.id, name: t.name as string };
}

/**
 * `event` as `pendingEventSchema.parse` would return it, when it is certainly valid;
 * undefined when it may not be (then parse it with zod, which names the problem).
 * `event` must be freshly built: it is returned itself when already in that form, and
 * its nested objects are reused, not copied.
 */
export function trustedPending(event: PendingEvent): PendingEvent | undefined {
  const e = event as unknown as Record<string, unknown>;
  const { actor, source, request } = e;
  if (
    !ordered(e, EVENT_ORDER) ||
    !ordered(actor, ACTOR_ORDER) ||
    !ordered(source, SOURCE_ORDER) ||
    !ordered(request, REQUEST_ORDER)
  )
    return undefined;
  const status = e.statusCode;
  const ok =
    e.schemaVersion === 1 &&
    str(e.id, 36, 36) &&
    UUID.test(e.id) &&
    str(e.tenantId, 1, 256) &&
    str(e.occurredAt, 24, 24) &&
    ISO.test(e.occurredAt) &&
    str(e.action, 1, Number.POSITIVE_INFINITY) &&
    ACTION_PATTERN.test(e.action) &&
    CRUD.has(e.crud as string) &&
    OUTCOMES.has(e.outcome as string) &&
    opt(e.reason, 2048) &&
    (status === undefined ||
      (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)) &&
    SEVERITIES.has(e.severity as string) &&
    ACTOR_TYPES.has(actor.type as string) &&
    str(actor.id, 1, 256) &&
    opt(actor.name, 2048) &&
    (actor.impersonatorId === undefined || str(actor.impersonatorId, 1, 256)) &&
    Array.isArray(e.targets) &&
    e.targets.length <= 64 &&
    opt(source.ip, 64) &&
    opt(source.userAgent, 512) &&
    opt(request.method, 16) &&
    opt(request.route, 512) &&
    opt(request.requestId, 128) &&
    opt(request.traceId, 64) &&
    opt(request.spanId, 32) &&
    plain(e.metadata) &&
    (e.changes === undefined || (plain(e.changes) && only(e.changes, CHANGE_KEYS)));
  if (!ok) return undefined;
  const given = e.targets as unknown[];
  let targets: unknown[] | undefined;
  for (let i = 0; i < given.length; i++) {
    const checked = target(given[i]);
    if (!checked) return undefined;
    if (checked !== given[i]) targets ??= given.slice(0, i);
    targets?.push(checked);
  }
  const changes = e.changes as Record<string, unknown> | undefined;
  // already what zod would return (the usual case): the event itself, nothing copied
  if (!targets && (!changes || ordered(changes, CHANGE_ORDER))) return event;
  return {
    ...event,
    targets: targets ?? given,
    ...(changes && {
      changes: {
        ...('before' in changes && { before: changes.before }),
        ...('after' in changes && { after: changes.after }),
      },
    }),
  } as PendingEvent;
}
