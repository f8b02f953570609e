/** Express's request/response as core's neutral exchange, and the context bound to them. */
import type { Request, Response } from 'express';
import type { RequestContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { firstHeader, pathOf } from './http/request.js';

const EXCHANGE = Symbol('platform.exchange');
type Exchanged = Request & { [EXCHANGE]?: ExpressExchange };

/**
 * Adapts an Express request/response pair to the neutral exchange: the one
 * `requestContext` made for this request when it ran, so the middlewares after it
 * share one object.
 */
export function expressExchange(req: Request, res: Response): HttpExchange {
  return (req as Exchanged)[EXCHANGE] ?? new ExpressExchange(req, res);
}

/** A class rather than an object literal of closures: one allocation per request. */
class ExpressExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly remoteAddress: string | undefined;
  readonly #req: Request;
  readonly #res: Response;

  constructor(req: Request, res: Response) {
    this.#req = req;
    this.#res = res;
    this.method = req.method;
    this.path = pathOf(req.originalUrl ?? req.url);
    this.remoteAddress = req.socket.remoteAddress;
  }

  get route(): string | undefined {
    const req = this.#req;
    return req.route ? `${req.baseUrl}${req.route.path}` : undefined;
  }

  header(name: string): string | undefined {
    return firstHeader(this.#req.headers, name);
  }

  setHeader(name: string, value: string): void {
    if (!this.#res.headersSent) this.#res.setHeader(name, value);
  }
}

// Symbol.for: the CommonJS and ESM builds of this binding read the same property.
const CONTEXT = Symbol.for('@platform/core.express.context');

const REQUEST = Symbol('platform.request');
const EXPLICIT_ROUTE = Symbol('platform.route');
type Tracked = RequestContext & { [REQUEST]?: Request; [EXPLICIT_ROUTE]?: string };

// One accessor pair shared by every request: per-request closures would give each
// context its own hidden class, which costs far more than the closures themselves.
const ROUTE_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Tracked) {
    const req = this[REQUEST];
    return this[EXPLICIT_ROUTE] ?? (req?.route ? `${req.baseUrl}${req.route.path}` : undefined);
  },
  set(this: Tracked, value: string | undefined) {
    this[EXPLICIT_ROUTE] = value;
  },
};

/**
 * Express matches the route after app-level middleware ran, so `ctx.route` reads the
 * matched route lazily (until the host sets one explicitly with `setRoute`).
 */
function trackRoute(ctx: RequestContext, req: Request): void {
  Object.defineProperty(ctx, REQUEST, { value: req, writable: true });
  Object.defineProperty(ctx, 'route', ROUTE_ACCESSOR);
}

/** The context Express bound to this request (also reachable through `getContext()`). */
export function contextOf(req: Request): RequestContext | undefined {
  return (req as unknown as Record<symbol, RequestContext | undefined>)[CONTEXT];
}

/** Opens the exchange for this request: every middleware after `requestContext` shares it. */
export function openExpressExchange(req: Request, res: Response): HttpExchange {
  const exchange = new ExpressExchange(req, res);
  (req as Exchanged)[EXCHANGE] = exchange;
  return exchange;
}

/** Binds the context to the request (for `contextOf`) and reads its route lazily. */
export function bindExpressContext(req: Request, ctx: RequestContext): void {
  (req as unknown as Record<symbol, RequestContext>)[CONTEXT] = ctx;
  trackRoute(ctx, req);
}
