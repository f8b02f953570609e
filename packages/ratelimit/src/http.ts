import type { HttpExchange, RequestContext } from '@platform/core';
import { PlatformError, RateLimitError, stringifyProblem, toProblem } from '@platform/errors';
import { describeWait, describeWindow } from './duration.js';
import { rateLimitHeaders, retryAfterSeconds } from './headers.js';
import type { RateLimiter } from './limiter.js';
import type { LimitResult } from './result.js';

/** What a binding sends when a request is refused. */
export interface HttpDenial {
  status: number;
  headers: Record<string, string>;
  /** The `application/problem+json` body. */
  body: string;
}

/** Per-request memory of earlier limiters, so separate middlewares merge their headers. */
export interface RequestLimitState {
  spent: { limiter: RateLimiter; result: LimitResult }[];
}

/** "You can send up to 20 requests per minute. Try again in 12 seconds." */
export function friendlyMessage(limiter: RateLimiter, result: LimitResult): string {
  const violated = result.policies.find((p) => p.policy === result.policy);
  const policy = limiter.policies.find((p) => p.name === result.policy);
  const wait = `Try again in ${describeWait(result.retryAfterMs)}.`;
  if (!violated || !policy) return `You are sending requests too quickly. ${wait}`;
  const first =
    policy.message ??
    `You can send up to ${violated.limit} ${policy.unit} ${describeWindow(violated.windowMs)}.`;
  return `${first} ${wait}`;
}

function denial(
  limiter: RateLimiter,
  result: LimitResult,
  headers: Record<string, string>,
  exchange: HttpExchange,
  context: RequestContext | undefined,
): HttpDenial {
  const err = result.degraded
    ? new PlatformError('Rate limiting is unavailable right now. Please try again in a moment.', {
        category: 'network',
        status: 503,
        code: 'rate_limit_unavailable',
        expose: true,
        retryAfter: retryAfterSeconds(result.retryAfterMs),
      })
    : new RateLimitError(friendlyMessage(limiter, result), {
        retryAfter: retryAfterSeconds(result.retryAfterMs),
        details: {
          'violated-policies': result.policies.filter((p) => !p.allowed).map((p) => p.policy),
        },
      });
  const problem = toProblem(
    err,
    { requestId: context?.requestId, instance: exchange.path },
    limiter.http.problem,
  );
  return {
    status: problem.status,
    headers: { ...headers, ...problem.headers },
    body: stringifyProblem(problem.body),
  };
}

/**
 * Runs the limiters in order for one request. Sets the rate-limit headers on the exchange
 * and returns undefined to go on, or the 429 (503 when failing closed) to send. When a
 * later limiter refuses, what earlier ones spent for this request is given back.
 *
 * @example
 * const denied = await limitRequest([apiLimiter], exchange, getContext());
 * if (denied) return send(denied.status, denied.headers, denied.body);
 */
export async function limitRequest(
  limiters: readonly RateLimiter[],
  exchange: HttpExchange,
  context: RequestContext | undefined,
  state: RequestLimitState = { spent: [] },
): Promise<HttpDenial | undefined> {
  const settings = {
    headers: limiters.some((l) => l.http.headers),
    legacyHeaders: limiters.some((l) => l.http.legacyHeaders),
  };
  for (const limiter of limiters) {
    // a limiter mounted twice on one request (app-wide and on the route) counts once
    if (state.spent.some((s) => s.limiter === limiter)) continue;
    const result = await limiter.checkRequest({ context, exchange });
    if (!result.allowed) {
      const earlier = state.spent.splice(0);
      await Promise.all(earlier.map((s) => s.limiter.refund(s.result).catch(() => undefined)));
      const headers = rateLimitHeaders([...earlier.map((s) => s.result), result], settings);
      return denial(limiter, result, headers, exchange, context);
    }
    if (!result.skipped && !result.degraded) state.spent.push({ limiter, result });
  }
  const results = state.spent.map((s) => s.result);
  for (const [name, value] of Object.entries(rateLimitHeaders(results, settings))) {
    exchange.setHeader(name, value);
  }
  return undefined;
}
