import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting: set by the host after authentication. */
export type ActorType = 'user' | 'service' | 'apiKey' | 'system';

export interface Actor {
  type: ActorType;
  id: string;
  roles: string[];
  name?: string;
}

/** Everything @platform knows about the request being served. */
export interface RequestContext {
  /** Correlation id: validated incoming id or a fresh UUIDv7. Echoed in `X-Request-ID`. */
  requestId: string;
  /** W3C trace id, filled by @platform/tracing. */
  traceId?: string;
  spanId?: string;
  tenantId?: string;
  actor?: Actor;
  /** Client address after trusted-proxy resolution, IPv4-mapped IPv6 normalized. */
  ip?: string;
  userAgent?: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Route template (`/api/items/:id`) when the framework knows it. */
  route?: string;
  /** Epoch milliseconds when the request started. */
  startTime: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, or `undefined` outside a request. */
export function getContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` with `ctx` as the current request context.
 *
 * @example
 * runWithContext({ requestId: uuidv7(), method: 'JOB', path: '/jobs/nightly', startTime: Date.now() }, () => work());
 */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T;
export function runWithContext<T, A extends unknown[]>(
  ctx: RequestContext,
  fn: (...args: A) => T,
  ...args: A
): T;
export function runWithContext<T, A extends unknown[]>(
  ctx: RequestContext,
  fn: (...args: A) => T,
  ...args: A
): T {
  return storage.run(ctx, fn, ...args);
}

/** Sets the authenticated actor on the current request. No-op outside a request. */
export function setActor(actor: Actor): void {
  const ctx = storage.getStore();
  if (ctx) ctx.actor = { ...actor, roles: [...actor.roles] };
}

/** Sets the tenant on the current request. No-op outside a request. */
export function setTenant(tenantId: string | undefined): void {
  const ctx = storage.getStore();
  if (ctx) ctx.tenantId = tenantId;
}

/** Records the matched route template on the current request. */
export function setRoute(route: string | undefined): void {
  const ctx = storage.getStore();
  if (ctx && route) ctx.route = route;
}

/** Records the active trace on the current request (called by @platform/tracing). */
export function setTrace(traceId: string, spanId?: string): void {
  const ctx = storage.getStore();
  if (!ctx) return;
  ctx.traceId = traceId;
  if (spanId) ctx.spanId = spanId;
}
