import { getContext } from '@platform/core';
import { contextOf, expressExchange } from '@platform/core/express';
import type { Request, RequestHandler } from 'express';
import { limitRequest, type RequestLimitState } from './http.js';
import type { RateLimiter } from './limiter.js';

const states = new WeakMap<Request, RequestLimitState>();

/**
 * Express middleware that applies limiters (all of them, in order) to each request: sets
 * `RateLimit` / `RateLimit-Policy`, or answers 429 problem+json with `Retry-After`.
 * Several of these middlewares on one request merge their headers.
 *
 * @example
 * app.use(requestContext());
 * app.use('/api', rateLimit(apiLimiter));
 * app.post('/api/ai', rateLimit(aiLimiter), handler);
 */
export function rateLimit(limiters: RateLimiter | readonly RateLimiter[]): RequestHandler {
  const list = Array.isArray(limiters) ? [...limiters] : [limiters as RateLimiter];
  return (req, res, next) => {
    let state = states.get(req);
    if (!state) {
      state = { spent: [] };
      states.set(req, state);
    }
    limitRequest(list, expressExchange(req, res), contextOf(req) ?? getContext(), state).then(
      (denied) => {
        if (!denied) return next();
        res.status(denied.status);
        for (const [name, value] of Object.entries(denied.headers)) res.setHeader(name, value);
        res.end(req.method === 'HEAD' ? undefined : denied.body);
      },
      next,
    );
  };
}
