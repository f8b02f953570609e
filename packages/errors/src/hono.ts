import { toResponse } from '@platform/core';
import { webExchange } from '@platform/core/next';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { routePath } from 'hono/route';
import { problemAnswerOf } from './answer.js';
import { NotFoundError } from './errors.js';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorResponderOptions,
} from './responder.js';

function answer(respond: ErrorResponder, err: unknown, c: Context, route?: string): Response {
  const problem = respond(err, webExchange(c.req.raw, new Headers(), route));
  return toResponse(problemAnswerOf(problem, c.req.method));
}

/**
 * For `app.onError`: every error (Hono's `HTTPException` keeps its status) becomes an
 * RFC 9457 problem response carrying the request id.
 *
 * @example
 * app.onError(errorHandler({ production: true }));
 */
export function errorHandler(options?: ErrorResponderOptions): ErrorHandler {
  const respond = createErrorResponder(options);
  return (err, c) => answer(respond, err, c, routePath(c));
}

/**
 * For `app.notFound`: unmatched requests get the same 404 problem as every other error.
 *
 * @example
 * app.notFound(notFoundHandler());
 */
export function notFoundHandler(options?: ErrorResponderOptions): NotFoundHandler {
  const respond = createErrorResponder(options);
  return (c) => answer(respond, new NotFoundError(), c);
}

export type { ErrorResponderOptions };
