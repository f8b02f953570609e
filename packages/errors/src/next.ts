import { isNextControlFlow } from './control-flow.js';
import { createErrorResponder, type ErrorResponderOptions, responderFor } from './responder.js';
import { webProblem } from './web.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

const NO_OPTIONS: ErrorResponderOptions = {};

/**
 * The problem `Response` for an error caught in a route handler (request id, path and
 * locale come from `request` and the current request context).
 *
 * @example
 * catch (err) { return problemResponse(err, request); }
 */
export function problemResponse(err: unknown, request: Request, options = NO_OPTIONS): Response {
  return webProblem(responderFor(options), err, request);
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
      return webProblem(respond, err, request);
    }
  };
}

export type { ErrorResponderOptions };
