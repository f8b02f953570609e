import { webExchange } from '@platform/core/next';
import { stringifyProblem } from './problem.js';
import {
  createErrorResponder,
  type ErrorResponder,
  type ErrorResponderOptions,
} from './responder.js';
import { causes, isObject } from './shape.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

const NEXT_DIGESTS = new Set([
  'DYNAMIC_SERVER_USAGE',
  'BAILOUT_TO_CLIENT_SIDE_RENDERING',
  'HANGING_PROMISE_REJECTION',
]);

/** Next's control-flow throws (`notFound()`, `redirect()`, dynamic bailouts) must reach Next. */
function isNextControlFlow(err: unknown): boolean {
  return causes(err).some((e) => {
    const digest = isObject(e) ? e.digest : undefined;
    return typeof digest === 'string' && (digest.startsWith('NEXT_') || NEXT_DIGESTS.has(digest));
  });
}

function answer(respond: ErrorResponder, err: unknown, request: Request): Response {
  const { status, headers, body } = respond(err, webExchange(request, new Headers()));
  return new Response(request.method === 'HEAD' ? null : stringifyProblem(body), {
    status,
    headers,
  });
}

const responders = new WeakMap<object, ErrorResponder>();
const NO_OPTIONS: ErrorResponderOptions = {};

/**
 * The problem `Response` for an error caught in a route handler (request id, path and
 * locale come from `request` and the current request context).
 *
 * @example
 * catch (err) { return problemResponse(err, request); }
 */
export function problemResponse(
  err: unknown,
  request: Request,
  options: ErrorResponderOptions = NO_OPTIONS,
): Response {
  let respond = responders.get(options);
  if (!respond) {
    respond = createErrorResponder(options);
    responders.set(options, respond);
  }
  return answer(respond, err, request);
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
