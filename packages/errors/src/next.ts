import { toResponse } from '@platform/core';
import { webExchange } from '@platform/core/next';
import { problemAnswerOf } from './answer.js';
import { isNextControlFlow } from './control-flow.js';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorResponderOptions,
  responderFor,
} from './responder.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

function answer(respond: ErrorResponder, err: unknown, request: Request): Response {
  const problem = respond(err, webExchange(request, new Headers()));
  return toResponse(problemAnswerOf(problem, request.method));
}

const NO_OPTIONS: ErrorResponderOptions = {};

/**
 * The problem `Response` for an error caught in a route handler (request id, path and
 * locale come from `request` and the current request context).
 *
 * @example
 * catch (err) { return problemResponse(err, request); }
 */
export function problemResponse(err: unknown, request: Request, options = NO_OPTIONS): Response {
  return answer(responderFor(options), err, request);
}

/**
 * Wraps an App Router route handler so anything it throws becomes an RFC 9457 problem
 * response. Put it inside `withRequestContext` so the body's requestId is the one in
 * `X-Request-ID`. Next's own `notFound()` / `redirect()` throws pass through.
 *
 * @example
 * export const GET = withRequestContext(withErrorHandling(async (req) => Response.json(await load(req))));
 */
export function withErrorHandling<A extends unknown[]>(
  handler: Handler<A>,
  options?: ErrorResponderOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  const respond = createErrorResponder(options);
  return async (request, ...args) => {
    try {
      return await handler(request, ...args);
    } catch (err) {
      if (isNextControlFlow(err)) throw err;
      return answer(respond, err, request);
    }
  };
}

export type { ErrorResponderOptions };
