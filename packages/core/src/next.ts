import { type RequestContext, runWithContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

/**
 * Adapts a Web `Request` (as Next route handlers and proxy.ts receive it) to the
 * neutral exchange. Next does not expose the socket address: `next start` puts it in
 * X-Forwarded-For only when the header is absent, and an edge proxy appends the
 * address it saw. So the last X-Forwarded-For entry stands in for the socket and the
 * rest is the proxy chain. Behind no proxy at all a client can choose that entry:
 * deploy Next behind a proxy that appends or overwrites X-Forwarded-For.
 */
export function webExchange(
  request: Request,
  responseHeaders: Headers,
  route?: string,
): HttpExchange {
  const url = new URL(request.url);
  const xff = request.headers.get('x-forwarded-for') ?? '';
  const cut = xff.lastIndexOf(',');
  const socket = (cut === -1 ? xff : xff.slice(cut + 1)).trim() || undefined;
  const chain = cut === -1 ? undefined : xff.slice(0, cut);
  return {
    method: request.method,
    path: url.pathname,
    route,
    remoteAddress: socket,
    header(name) {
      const lower = name.toLowerCase();
      if (lower === 'x-forwarded-for') return chain;
      return request.headers.get(lower) ?? undefined;
    },
    setHeader(name, value) {
      responseHeaders.set(name, value);
    },
  };
}

export interface NextRequestContextOptions extends RequestContextOptions {
  /** The route template to record, e.g. `/api/items/[id]`. */
  route?: string;
}

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/** Copies headers onto a response, cloning it when its headers are immutable. */
export function withHeaders(response: Response, headers: Headers): Response {
  try {
    headers.forEach((value, name) => {
      response.headers.set(name, value);
    });
    return response;
  } catch {
    // Response.error() is immutable too, but its status 0 cannot be copied.
    if (response.type === 'error') return response;
    const copy = new Response(response.body, response);
    headers.forEach((value, name) => {
      copy.headers.set(name, value);
    });
    return copy;
  }
}

/**
 * Wraps an App Router route handler so it runs inside the request context and its
 * response carries `X-Request-ID`.
 *
 * @example
 * export const GET = withRequestContext(async () => Response.json({ requestId: getContext()?.requestId }));
 */
export function withRequestContext<A extends unknown[]>(
  handler: Handler<A>,
  options: NextRequestContextOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const { route, ...rest } = options;
  const engine = createRequestContext(rest);
  return async (request, ...args) => {
    const headers = new Headers();
    const ctx: RequestContext = await engine.begin(webExchange(request, headers, route));
    const response = await runWithContext(ctx, () => handler(request, ...args));
    return withHeaders(response, headers);
  };
}

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

export type { RequestContextOptions };
