import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type RequestContext, runWithContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

/** Adapts an Express request/response pair to the neutral exchange. */
export function expressExchange(req: Request, res: Response): HttpExchange {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  return {
    method: req.method,
    path: q === -1 ? url : url.slice(0, q),
    get route() {
      return req.route ? `${req.baseUrl}${req.route.path}` : undefined;
    },
    remoteAddress: req.socket.remoteAddress,
    header(name) {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    setHeader(name, value) {
      if (!res.headersSent) res.setHeader(name, value);
    },
  };
}

const CONTEXT = Symbol.for('platform.context');

/**
 * Express matches the route after app-level middleware ran, so `ctx.route` reads the
 * matched route lazily (until the host sets one explicitly with `setRoute`).
 */
function trackRoute(ctx: RequestContext, req: Request): void {
  let explicit: string | undefined;
  Object.defineProperty(ctx, 'route', {
    enumerable: true,
    configurable: true,
    get: () => explicit ?? (req.route ? `${req.baseUrl}${req.route.path}` : undefined),
    set: (value: string | undefined) => {
      explicit = value;
    },
  });
}

/** The context Express bound to this request (also reachable through `getContext()`). */
export function contextOf(req: Request): RequestContext | undefined {
  return (req as unknown as Record<symbol, RequestContext | undefined>)[CONTEXT];
}

/**
 * Express middleware that opens the request context: request id (validated or a fresh
 * UUIDv7, echoed in `X-Request-ID`), client IP, tenant. Mount it first.
 *
 * @example
 * app.use(requestContext({ trustProxy: ['loopback'] }));
 */
export function requestContext(options?: RequestContextOptions): RequestHandler {
  const engine = createRequestContext(options);
  return (req: Request, res: Response, next: NextFunction) => {
    const enter = (ctx: RequestContext) => {
      (req as unknown as Record<symbol, RequestContext>)[CONTEXT] = ctx;
      trackRoute(ctx, req);
      runWithContext(ctx, next);
    };
    const started = engine.begin(expressExchange(req, res));
    if (started instanceof Promise) started.then(enter, next);
    else enter(started);
  };
}

export type { RequestContextOptions };
