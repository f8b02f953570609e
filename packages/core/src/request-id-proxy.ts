import type { RequestContext } from './context.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';
import { webExchange } from './web-exchange.js';

/**
 * For `proxy.ts`: validates or creates the request id and forwards it to the app on
 * the request headers (so route handlers and pages see the same id) and echoes it on
 * the response. Returns the request headers to forward and the id.
 *
 * @example
 * // proxy.ts
 * const requestIds = requestIdForProxy();
 * export function proxy(request: NextRequest) {
 *   const { requestHeaders, requestId } = requestIds(request);
 *   const res = NextResponse.next({ request: { headers: requestHeaders } });
 *   res.headers.set('X-Request-ID', requestId);
 *   return res;
 * }
 */
export function requestIdForProxy(
  options: RequestContextOptions = {},
): (request: Request) => { requestHeaders: Headers; requestId: string; header: string } {
  const engine = createRequestContext({ ...options, resolveTenant: undefined });
  return (request) => {
    const ctx = engine.begin(webExchange(request, new Headers())) as RequestContext;
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(engine.header, ctx.requestId);
    return { requestHeaders, requestId: ctx.requestId, header: engine.header };
  };
}
