import { getContext, type RequestContext, runRequest } from './context.js';
import type { HttpExchange } from './exchange.js';
import { problemAnswer } from './http/answer.js';
import { fetchRequest, toResponse } from './http/fetch.js';
import type { NeutralHandler } from './http/request.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

/**
 * Adapts a Web `Request` (as Next route handlers and proxy.ts receive it) to the
 * neutral exchange. Next does not expose the socket address (`next start` fills
 * X-Forwarded-For with it only when the client sent none), so the exchange has no
 * `remoteAddress`: the client IP stays undefined unless `trustProxy` declares the
 * proxy in front of Next, whose X-Forwarded-For entries are then walked as usual.
 */
export function webExchange(
  request: Request,
  responseHeaders: Headers,
  route?: string,
): HttpExchange {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    route,
    remoteAddress: undefined,
    header(name) {
      return request.headers.get(name) ?? undefined;
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
    const response = await runRequest(ctx, () => handler(request, ...args));
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

/**
 * Mounts a neutral handler as a Next.js route handler (or any Fetch handler: Request in,
 * Response out). Give `base` for a catch-all route (`app/admin/flags/[...path]/route.ts` →
 * `/admin/flags`). A handler that answers `undefined` gets a 404 problem.
 *
 * @example
 * export const GET = nextRoute(handlers.search);
 */
export function nextRoute(
  handler: NeutralHandler,
  options: { base?: string } = {},
): (request: Request) => Promise<Response> {
  return async (request) => {
    const answer = await handler(
      fetchRequest(request, { base: options.base, context: getContext() }),
    );
    return toResponse(answer ?? problemAnswer(404, { title: 'Not Found' }));
  };
}
