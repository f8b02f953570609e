import { type Answer, getContext, writeAnswer } from '@platform/core';
import { contextOf, expressExchange } from '@platform/core/express';
import type { NextFunction, RequestHandler, Response } from 'express';
import { applyLimits, type Limiters, limiterList, requestLimitState } from './http.js';
import { isPromise } from './pending.js';

function proceed(res: Response, next: NextFunction, refusal: Answer | undefined): void {
  if (refusal) writeAnswer(res, refusal).catch(next);
  else next();
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
export function rateLimit(limiters: Limiters): RequestHandler {
  const list = limiterList(limiters);
  return (req, res, next) => {
    const context = contextOf(req) ?? getContext();
    let refusal: ReturnType<typeof applyLimits>;
    try {
      const state = requestLimitState(context ?? req);
      refusal = applyLimits(list, expressExchange(req, res), context, state);
    } catch (err) {
      return next(err);
    }
    // with the memory store the check is synchronous: no promise, next() right away
    if (isPromise(refusal)) refusal.then((r) => proceed(res, next, r), next);
    else proceed(res, next, refusal);
  };
}
