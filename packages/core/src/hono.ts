import type { MiddlewareHandler } from 'hono';
import { runRequest } from './context.js';
import { honoExchange } from './hono-exchange.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';
import { withHeaders } from './web-exchange.js';

export { contextOf, honoExchange, honoRoute } from './hono-exchange.js';

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

export type { RequestContextOptions };
