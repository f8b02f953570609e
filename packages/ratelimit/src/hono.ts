import { getContext } from '@platform/core';
import type { MiddlewareHandler } from 'hono';
import { fetchCheck } from './fetch.js';
import { type Limiters, limiterList } from './http.js';

/**
 * Hono middleware that applies limiters (all of them, in order) over the Fetch path, as
 * `withRateLimit` does for Next: answers 429 problem+json with `Retry-After` when one
 * refuses, else adds `RateLimit` / `RateLimit-Policy` to the response. Run it inside a
 * @platform request context (so limits see the user, tenant and client IP); `route` names
 * the route template for `by: 'route'` and the deny log.
 *
 * @example
 * app.use('/api/*', rateLimit(apiLimiter));
 * app.post('/api/ai', rateLimit(aiLimiter, { route: '/api/ai' }), handler);
 */
export function rateLimit(limiters: Limiters, options: { route?: string } = {}): MiddlewareHandler {
  const list = limiterList(limiters);
  return async (c, next) => {
    const check = await fetchCheck(list, c.req.raw, getContext(), options.route);
    if (check.refusal) return check.refusal;
    await next();
    const response = check.decorate(c.res);
    if (response !== c.res) c.res = response;
  };
}
