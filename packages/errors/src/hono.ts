import type { ErrorHandler, NotFoundHandler } from 'hono';
import { routePath } from 'hono/route';
import { NotFoundError } from './errors.js';
import { createErrorResponder, type ErrorResponderOptions } from './responder.js';
import { webProblem } from './web.js';

/**
 * For `app.onError`: every error (Hono's `HTTPException` keeps its status) becomes an
 * RFC 9457 problem response carrying the request id.
 *
 * @example
 * app.onError(errorHandler({ production: true }));
 */
export function errorHandler(options?: ErrorResponderOptions): ErrorHandler {
  const respond = createErrorResponder(options);
  return (err, c) => webProblem(respond, err, c.req.raw, routePath(c));
}

/**
 * For `app.notFound`: unmatched requests get the same 404 problem as every other error.
 *
 * @example
 * app.notFound(notFoundHandler());
 */
export function notFoundHandler(options?: ErrorResponderOptions): NotFoundHandler {
  const respond = createErrorResponder(options);
  return (c) => webProblem(respond, new NotFoundError(), c.req.raw);
}

export type { ErrorResponderOptions };
