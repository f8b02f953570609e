import {
  getContext,
  memoize,
  parseOptions,
  type RequestContext,
  runWithContext,
} from '@platform/core';
import { z } from 'zod';
import type { AuditInput, AuditTarget } from './schema.js';
import type { AuditTrail } from './trail.js';

/** What the middleware knows about a finished request. */
export interface HttpAuditInfo {
  method: string;
  path: string;
  route?: string;
  statusCode: number;
  /** The client went away before the response was sent. */
  aborted?: boolean;
  params?: Record<string, unknown>;
  body?: unknown;
}

type PathRule = string | RegExp;

export interface AuditHttpOptions {
  /** Methods recorded. Default POST, PUT, PATCH, DELETE. */
  methods?: string[];
  /** Only these paths (prefix string or RegExp). Default: all. */
  include?: PathRule[];
  /** Never these paths (prefix string or RegExp); wins over `include`. */
  exclude?: PathRule[];
  /** Last word: return false to skip a request. */
  filter?: (request: { method: string; path: string }) => boolean;
  /** Action name; default `<resource>.<create|update|delete>` from the route (`/api/items/:id` → `items.update`). */
  action?: (info: HttpAuditInfo) => string;
  /** Targets; default the route's `:id` parameter as a target of the resource type. */
  targets?: (info: HttpAuditInfo) => AuditTarget[];
  /** Keep the request body in `metadata.body` (redacted, cut at `maxBytes`, default 4 KiB). Default off. */
  captureBody?: boolean | { maxBytes?: number };
}

const rule = z.union([z.string().startsWith('/'), z.instanceof(RegExp)]);
const fn = z.custom<(...a: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);
const httpSchema = z.object({
  methods: z
    .array(z.string().regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method'))
    .default(['POST', 'PUT', 'PATCH', 'DELETE'])
    .transform((m) => new Set(m.map((x) => x.toUpperCase()))),
  include: z.array(rule).default([]),
  exclude: z.array(rule).default([]),
  filter: fn.optional(),
  action: fn.optional(),
  targets: fn.optional(),
  captureBody: z
    .union([
      z.boolean(),
      z.object({ maxBytes: z.number().int().min(1).max(1_048_576).default(4096) }),
    ])
    .default(false)
    .transform((c) => (c === false ? 0 : c === true ? 4096 : c.maxBytes)),
});

const VERBS: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};
const CRUD = { POST: 'c', PUT: 'u', PATCH: 'u', DELETE: 'd' } as const;
const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'x';

interface Route {
  resource: string;
  idParam?: string;
  verb?: string;
  /** The default action per method, made once: every event of the route shares the string. */
  actions: Map<string, string>;
}

/**
 * `/api/items/:id` → items + id; `/api/users/:uid/invoices/:id` → invoices + id;
 * `/api/invoices/:id/pay` → invoices + id, with `pay` as the verb.
 */
function resourceOf(template: string): Route {
  const segments = template.split('/').filter((s) => s && s !== 'api' && !/^v\d+$/.test(s));
  let resource = 'http';
  let idParam: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as string;
    if (s.startsWith(':') || s.startsWith('[')) idParam = s.replace(/^[:[.]+|]+$/g, '');
    else if (idParam && i === segments.length - 1)
      return { resource, idParam, verb: clean(s), actions: new Map() };
    else {
      resource = clean(s);
      idParam = undefined;
    }
  }
  return { resource, idParam, actions: new Map() };
}

// Routes are few and come back on every request: derive each once. Bounded, because an
// unmatched request's template is its raw path.
const cachedResourceOf = memoize(resourceOf, 1024);

function defaultAction(route: Route, method: string): string {
  let name = route.actions.get(method);
  if (name === undefined) {
    name = `${route.resource}.${route.verb ?? VERBS[method] ?? clean(method)}`;
    route.actions.set(method, name);
  }
  return name;
}

const recordIn = (trail: AuditTrail, input: AuditInput) => trail.record(input);

const matchRule = (path: string, r: PathRule) =>
  typeof r === 'string' ? path.startsWith(r) : r.test(path);

/**
 * The decisions every binding shares: which requests are audited, and the event a
 * finished request becomes (action, outcome from the status, targets, captured body).
 */
export function createHttpAuditor(trail: AuditTrail, options: AuditHttpOptions = {}) {
  const o = parseOptions(httpSchema, options, 'audit middleware');
  const filter = o.filter as AuditHttpOptions['filter'];
  const action = o.action as AuditHttpOptions['action'];
  const targets = o.targets as AuditHttpOptions['targets'];
  return {
    captureBytes: o.captureBody,
    /** Should this request be recorded? Cheap: called on every request. */
    wants(method: string, path: string): boolean {
      if (!o.methods.has(method)) return false;
      if (o.include.length > 0 && !o.include.some((r) => matchRule(path, r))) return false;
      if (o.exclude.some((r) => matchRule(path, r))) return false;
      try {
        return filter ? filter({ method, path }) !== false : true;
      } catch {
        return true;
      }
    },
    /** Records the finished request in `ctx`. Never throws. */
    finish(ctx: RequestContext | undefined, info: HttpAuditInfo): void {
      try {
        const template = info.route ?? info.path;
        const route = cachedResourceOf(template);
        const { resource, idParam } = route;
        const id = idParam ? info.params?.[idParam] : undefined;
        const failed = info.statusCode >= 400;
        // members added in order, not spread in: a literal with spreads takes V8's slow path
        const input: AuditInput = {
          action: action ? action(info) : defaultAction(route, info.method),
          crud: CRUD[info.method as keyof typeof CRUD] ?? 'u',
          outcome: info.aborted ? 'unknown' : failed ? 'failure' : 'success',
          statusCode:
            info.statusCode >= 100 && info.statusCode <= 599 ? info.statusCode : undefined,
        };
        if (info.aborted) input.reason = 'client closed the connection before the response';
        else if (failed) input.reason = `HTTP ${info.statusCode}`;
        input.targets = targets
          ? targets(info)
          : typeof id === 'string'
            ? [{ type: resource, id }]
            : [];
        input.request = {
          method: info.method,
          route: template,
          requestId: ctx?.requestId,
          traceId: ctx?.traceId,
          spanId: ctx?.spanId,
        };
        input.metadata =
          o.captureBody && info.body !== undefined
            ? { body: capBody(info.body, o.captureBody) }
            : {};
        // the hook usually runs inside the request's context already
        if (ctx && getContext() !== ctx) runWithContext(ctx, recordIn, trail, input);
        else trail.record(input);
      } catch {
        // the trail counts its own failures; a broken custom rule must not reach the host
      }
    },
  };
}

function capBody(body: unknown, max: number): unknown {
  if (typeof body === 'string')
    return body.length > max ? `${body.slice(0, max)}…[truncated]` : body;
  try {
    const json = JSON.stringify(body);
    if (json === undefined) return undefined;
    return json.length > max
      ? { truncated: true, bytes: json.length, preview: json.slice(0, max) }
      : body;
  } catch {
    return '[unserializable]';
  }
}

export type HttpAuditor = ReturnType<typeof createHttpAuditor>;
