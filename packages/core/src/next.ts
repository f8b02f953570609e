import { getContext, type RequestContext, runRequest } from './context.js';
import { problemAnswer } from './http/answer.js';
import { fetchRequest, toResponse } from './http/fetch.js';
import type { NeutralHandler } from './http/request.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';
import { webExchange, withHeaders } from './web-exchange.js';

export { requestIdForProxy } from './request-id-proxy.js';
export { webExchange, withHeaders } from './web-exchange.js';

export interface NextRequestContextOptions extends RequestContextOptions {
  /** The route template to record, e.g. `/api/items/[id]`. */
  route?: string;
}

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

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
