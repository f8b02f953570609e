/** A Hono context as core's neutral exchange. */
import type { Context } from 'hono';
import type { RequestContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import type { NeutralHandler } from './http/request.js';
import { nextRoute } from './next.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The @platform request context (also reachable through `getContext()`). */
    platformContext: RequestContext;
  }
}

/** The socket address @hono/node-server exposes as `c.env.incoming`; undefined elsewhere. */
function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/**
 * Adapts a Hono context to core's neutral exchange. Response headers are collected in
 * `responseHeaders` and put on a copy of whatever response the chain ends with: a handler may
 * return a `Response` of its own (dropping headers set with `c.header`), and @hono/node-server's
 * lightweight responses ignore later changes to their headers.
 */
export function honoExchange(c: Context, responseHeaders: Headers): HttpExchange {
  return {
    method: c.req.method,
    path: c.req.path,
    // Hono matches every handler before the first middleware runs: the route is known now.
    route: matchedRoute(c),
    remoteAddress: peerAddress(c),
    header: (name) => c.req.header(name),
    setHeader: (name, value) => responseHeaders.set(name, value),
  };
}

/** The matched route's template: the last handler that is not an `app.use` middleware. */
export function matchedRoute(c: Context): string | undefined {
  const routes = c.req.matchedRoutes;
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i]?.method !== 'ALL') return routes[i]?.path;
  }
  return undefined;
}

/** The context `requestContext` opened for this request. */
export function contextOf(c: Context): RequestContext | undefined {
  return c.get('platformContext');
}

/**
 * Mounts a neutral handler (audit, cost, flags admin, log levels, ...) as a Hono handler.
 * Give `base` when it serves everything below a mount point (`app.all('/admin/flags/*', ...)`).
 *
 * @example
 * app.get('/admin/audit/events', honoRoute(handlers.search));
 */
export function honoRoute(handler: NeutralHandler, options: { base?: string } = {}) {
  const route = nextRoute(handler, options);
  return (c: Context): Promise<Response> => route(c.req.raw);
}
