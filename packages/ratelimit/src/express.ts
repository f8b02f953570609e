import { getContext } from '@platform/core';
import { contextOf, expressExchange } from '@platform/core/express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { applyLimits, type HttpDenial, type RequestLimitState } from './http.js';
import type { RateLimiter } from './limiter.js';
import { isPromise } from './pending.js';

// On the request itself rather than in a WeakMap: one per request, and a WeakMap entry
// per request made the garbage collector's work the largest cost of the middleware.
const STATE = Symbol('platform.ratelimit');
type Limited = Request & { [STATE]?: RequestLimitState };

function answer(req: Request, res: Response, denied: HttpDenial | undefined, next: NextFunction) {
  if (!denied) return next();
  res.status(denied.status);
  for (const name in denied.headers) res.setHeader(name, denied.headers[name] as string);
  res.end(req.method === 'HEAD' ? undefined : denied.body);
}

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
    let state = (req as Limited)[STATE];
    if (!state) {
      state = { spent: [] };
      (req as Limited)[STATE] = state;
    }
    let denied: ReturnType<typeof applyLimits>;
    try {
      denied = applyLimits(list, expressExchange(req, res), contextOf(req) ?? getContext(), state);
    } catch (err) {
      return next(err);
    }
    // with the memory store the check is synchronous: no promise, next() right away
    if (isPromise(denied)) denied.then((d) => answer(req, res, d, next), next);
    else answer(req, res, denied, next);
  };
}
