import { getContext } from '@platform/core';
import { fetchCheck } from './fetch.js';
import { type Limiters, limiterList } from './http.js';

export { type ProxyLimit, rateLimitProxy } from './fetch.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

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
  const list = limiterList(limiters);
  return async (request, ...args) => {
    const check = await fetchCheck(list, request, getContext(), options.route);
    return check.refusal ?? check.decorate(await handler(request, ...args));
  };
}
