import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from './singleton.js';

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

/**
 * What one async scope carries: the request context and the values of the context
 * slots (`contextSlot`), so other packages keep per-scope values in this one
 * AsyncLocalStorage instead of each paying for its own.
 */
class Frame {
  constructor(
    readonly request: RequestContext | undefined,
    public slots: unknown[],
    /** Opened by a binding for one request: its slots may be set in place. */
    readonly own: boolean,
  ) {}
}

const NO_SLOTS: unknown[] = [];

// One storage per process, however many copies of this module are loaded (ESM and
// CommonJS builds, two installed versions): see processSingleton. The Frame class is
// shared too, so every copy creates frames of one shape. Bump the version when the
// shape of Frame or of this object changes.
const shared = processSingleton('@platform/core.context', 1, () => ({
  storage: new AsyncLocalStorage<Frame>(),
  Frame,
  /** Slots handed out so far, by every copy: each slot's index into `Frame.slots`. */
  slotCount: 0,
}));
const storage = shared.storage;
const SharedFrame = shared.Frame;

/** The context of the request being served, or `undefined` outside a request. */
export function getContext(): RequestContext | undefined {
  return storage.getStore()?.request;
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
  return open(ctx, false, fn, args);
}

/**
 * For the HTTP bindings: like `runWithContext`, for a frame opened for this one
 * request, whose slots `ContextSlot.set` may then change in place.
 */
export function runRequest<T>(ctx: RequestContext, fn: () => T): T {
  return open(ctx, true, fn, []);
}

/** A frame for `ctx`, inheriting the current slot values. */
function open<T, A extends unknown[]>(
  ctx: RequestContext,
  own: boolean,
  fn: (...args: A) => T,
  args: A,
): T {
  const slots = storage.getStore()?.slots ?? NO_SLOTS;
  return storage.run(new SharedFrame(ctx, slots, own), fn, ...args);
}

/** A value carried by the current async scope next to the request context (see `contextSlot`). */
export interface ContextSlot<T> {
  /** The value in the current scope, if any. */
  get(): T | undefined;
  /** Runs `fn` with `value` in this slot (the request context stays as it is). */
  run<R, A extends unknown[]>(value: T, fn: (...args: A) => R, ...args: A): R;
  /**
   * Sets the value for the rest of the current request when called inside the scope a
   * core binding opened for it (`requestContext` for Express, Fastify, Next), in place,
   * without opening a new scope. Anywhere else it does nothing and returns false: use
   * `run`.
   */
  set(value: T): boolean;
}

/**
 * A slot for a per-scope value (such as the OpenTelemetry context) kept in core's
 * AsyncLocalStorage beside the request context: one store to propagate through every
 * async operation instead of two. Each call makes a new slot.
 *
 * @example
 * const tenantCache = contextSlot<Map<string, Plan>>('plans');
 * tenantCache.run(new Map(), () => handle(job));
 */
export function contextSlot<T>(name: string): ContextSlot<T> {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('contextSlot: name must be a non-empty string');
  const index = shared.slotCount++;
  return {
    get: () => storage.getStore()?.slots[index] as T | undefined,
    run(value, fn, ...args) {
      const frame = storage.getStore();
      const slots = (frame?.slots ?? NO_SLOTS).slice();
      slots[index] = value;
      return storage.run(new SharedFrame(frame?.request, slots, false), fn, ...args);
    },
    set(value) {
      const frame = storage.getStore();
      if (!frame?.own) return false;
      const slots = frame.slots.slice();
      slots[index] = value;
      frame.slots = slots;
      return true;
    },
  };
}

/** Sets the authenticated actor on the current request. No-op outside a request. */
export function setActor(actor: Actor): void {
  const ctx = getContext();
  if (ctx) ctx.actor = { ...actor, roles: [...actor.roles] };
}

/** Sets the tenant on the current request. No-op outside a request. */
export function setTenant(tenantId: string | undefined): void {
  const ctx = getContext();
  if (ctx) ctx.tenantId = tenantId;
}

/** Records the matched route template on the current request. */
export function setRoute(route: string | undefined): void {
  const ctx = getContext();
  if (ctx && route) ctx.route = route;
}

/** Records the active trace on the current request (called by @platform/tracing). */
export function setTrace(traceId: string, spanId?: string): void {
  const ctx = getContext();
  if (!ctx) return;
  ctx.traceId = traceId;
  if (spanId) ctx.spanId = spanId;
}
