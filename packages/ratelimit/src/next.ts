import { createRequestContext, getContext, type RequestContextOptions } from '@platform/core';
import { webExchange, withHeaders } from '@platform/core/next';
import { type HttpDenial, limitRequest } from './http.js';
import type { RateLimiter } from './limiter.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;
type Limiters = RateLimiter | readonly RateLimiter[];

const list = (l: Limiters): RateLimiter[] => (Array.isArray(l) ? [...l] : [l as RateLimiter]);

function refusal(denied: HttpDenial, method: string): Response {
  return new Response(method === 'HEAD' ? null : denied.body, {
    status: denied.status,
    headers: denied.headers,
  });
}

/**
 * Wraps an App Router route handler: answers 429 problem+json when a limiter refuses, and
 * adds the rate-limit headers to the handler's response. Put it inside
 * `withRequestContext` so limits see the user, tenant and client IP.
 *
 * @example
 * export const POST = withRequestContext(withRateLimit(handler, aiLimiter, { route: '/api/ai' }));
 */
export function withRateLimit<A extends unknown[]>(
  handler: Handler<A>,
  limiters: Limiters,
  options: { route?: string } = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const all = list(limiters);
  return async (request, ...args) => {
    const headers = new Headers();
    const exchange = webExchange(request, headers, options.route);
    const denied = await limitRequest(all, exchange, getContext());
    if (denied) return refusal(denied, request.method);
    return withHeaders(await handler(request, ...args), headers);
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
  const all = list(limiters);
  const engine = createRequestContext(options);
  return async (request) => {
    const headers = new Headers();
    const exchange = webExchange(request, headers);
    const context = await engine.begin(exchange);
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(engine.header, context.requestId);
    const denied = await limitRequest(all, exchange, context);
    const out: ProxyLimit = { headers, requestHeaders, requestId: context.requestId };
    if (denied) out.response = withHeaders(refusal(denied, request.method), headers);
    return out;
  };
}
