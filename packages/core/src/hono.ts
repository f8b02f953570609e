import type { Context, MiddlewareHandler } from 'hono';
import { type RequestContext, runRequest } from './context.js';
import { honoExchange } from './hono-exchange.js';
import type { NeutralHandler } from './http/request.js';
import { nextRoute } from './next.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';
import { withHeaders } from './web-exchange.js';

export { honoExchange } from './hono-exchange.js';

/**
 * Hono middleware that opens the request context (request id, client IP, tenant) for the
 * rest of the chain. Mount it first. The route template is the matched route's.
 *
 * @example
 * app.use(requestContext({ trustProxy: ['loopback'] }));
 */
export function requestContext(options?: RequestContextOptions): MiddlewareHandler {
  const engine = createRequestContext(options);
  return async (c, next) => {
    const headers = new Headers();
    const ctx = await engine.begin(honoExchange(c, headers));
    c.set('platformContext', ctx);
    await runRequest(ctx, next);
    c.res = withHeaders(new Response(c.res.body, c.res), headers);
  };
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

export type { RequestContextOptions };
