import {
  createRequestContext,
  type RequestContext,
  type RequestContextOptions,
  toResponse,
} from '@platform/core';
import { webExchange, withHeaders } from '@platform/core/next';
import { type Limiters, limiterList, limitRequest, requestLimitState } from './http.js';
import type { RateLimiter } from './limiter.js';

/** One request's check on the Fetch path: the refusal to send, or the headers it owes. */
export interface FetchCheck {
  /** The 429 (or 503) to send instead of calling the handler. */
  refusal?: Response;
  /** Puts the rate-limit headers on the handler's response (copying it when immutable). */
  decorate(response: Response): Response;
}

/**
 * The Fetch path (Next route handlers, Hono): checks the limiters for a Web `Request`.
 * Nested wrappers and middlewares share the request's state, so the innermost one, whose
 * headers list every limiter that ran, is the one that decorates the response.
 */
export async function fetchCheck(
  limiters: readonly RateLimiter[],
  request: Request,
  context: RequestContext | undefined,
  route?: string,
): Promise<FetchCheck> {
  const headers = new Headers();
  const state = requestLimitState(context ?? request);
  const refusal = await limitRequest(
    limiters,
    webExchange(request, headers, route),
    context,
    state,
  );
  if (refusal) {
    // its headers are final: the wrappers around it must not put theirs over them
    state.decorated = true;
    return { refusal: toResponse(refusal), decorate: (response) => response };
  }
  return {
    decorate(response) {
      if (state.decorated) return response;
      state.decorated = true;
      return withHeaders(response, headers);
    },
  };
}

export interface ProxyLimit {
  /** The 429 (or 503) to return from `proxy`, when a limiter refused. */
  response?: Response;
  /** Response headers to set on `NextResponse.next()`: rate-limit headers and `X-Request-ID`. */
  headers: Headers;
  /** Request headers to forward (`NextResponse.next({ request: { headers } })`), carrying the request id. */
  requestHeaders: Headers;
  requestId: string;
}

/**
 * For `proxy.ts`: opens a request context (the same options as `withRequestContext`:
 * `trustProxy` decides the client IP) and checks the limiters. Returns the refusal to
 * return, or the headers to put on `NextResponse.next()`; the request id goes to the app
 * too, so it replaces `requestIdForProxy`. There is no user yet at this point: key by
 * IP, API key or a function of the request.
 *
 * @example
 * const limit = rateLimitProxy(ipLimiter, { trustProxy: 1 });
 * export async function proxy(request: NextRequest) {
 *   const { response, headers, requestHeaders } = await limit(request);
 *   if (response) return response;
 *   const res = NextResponse.next({ request: { headers: requestHeaders } });
 *   headers.forEach((value, name) => res.headers.set(name, value));
 *   return res;
 * }
 */
export function rateLimitProxy(
  limiters: Limiters,
  options: RequestContextOptions = {},
): (request: Request) => Promise<ProxyLimit> {
  const list = limiterList(limiters);
  const engine = createRequestContext(options);
  return async (request) => {
    const headers = new Headers();
    const exchange = webExchange(request, headers);
    const context = await engine.begin(exchange);
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(engine.header, context.requestId);
    const refusal = await limitRequest(list, exchange, context);
    const out: ProxyLimit = { headers, requestHeaders, requestId: context.requestId };
    if (refusal) out.response = withHeaders(toResponse(refusal), headers);
    return out;
  };
}
