import type { HttpExchange, RequestContext } from '@platform/core';
import { PlatformError, RateLimitError, stringifyProblem, toProblem } from '@platform/errors';
import { describeWait, describeWindow } from './duration.js';
import {
  type HeaderSettings,
  rateLimitHeaders,
  retryAfterSeconds,
  setRateLimitHeaders,
} from './headers.js';
import type { LimitInput } from './keys.js';
import { decideRequest, type RateLimiter } from './limiter.js';
import { isPromise, type Pending } from './pending.js';
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
export function limitRequest(
  limiters: readonly RateLimiter[],
  exchange: HttpExchange,
  context: RequestContext | undefined,
  state: RequestLimitState = { spent: [] },
): Promise<HttpDenial | undefined> {
  try {
    return Promise.resolve(applyLimits(limiters, exchange, context, state));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * {@link limitRequest} without the promise when every limiter answers synchronously (the
 * memory store): what the bindings call, so such a request costs no promise at all.
 */
export function applyLimits(
  limiters: readonly RateLimiter[],
  exchange: HttpExchange,
  context: RequestContext | undefined,
  state: RequestLimitState,
): Pending<HttpDenial | undefined> {
  return runFrom(0, limiters, { context, exchange }, state);
}

interface HttpInput extends LimitInput {
  exchange: HttpExchange;
}

function runFrom(
  first: number,
  limiters: readonly RateLimiter[],
  input: HttpInput,
  state: RequestLimitState,
): Pending<HttpDenial | undefined> {
  for (let i = first; i < limiters.length; i++) {
    const limiter = limiters[i] as RateLimiter;
    // a limiter mounted twice on one request (app-wide and on the route) counts once
    if (spentBy(state, limiter)) continue;
    const result = decideRequest(limiter, input);
    if (isPromise(result)) {
      return result.then((r) => {
        if (!r.allowed) return refuse(limiters, limiter, r, input, state);
        keep(state, limiter, r);
        return runFrom(i + 1, limiters, input, state);
      });
    }
    if (!result.allowed) return refuse(limiters, limiter, result, input, state);
    keep(state, limiter, result);
  }
  const results = state.spent.map((s) => s.result);
  setRateLimitHeaders(results, headerSettings(limiters), input.exchange);
  return undefined;
}

function spentBy(state: RequestLimitState, limiter: RateLimiter): boolean {
  for (const s of state.spent) if (s.limiter === limiter) return true;
  return false;
}

function keep(state: RequestLimitState, limiter: RateLimiter, result: LimitResult): void {
  if (!result.skipped && !result.degraded) state.spent.push({ limiter, result });
}

function headerSettings(limiters: readonly RateLimiter[]): HeaderSettings {
  let headers = false;
  let legacyHeaders = false;
  for (const l of limiters) {
    headers ||= l.http.headers;
    legacyHeaders ||= l.http.legacyHeaders;
  }
  return { headers, legacyHeaders };
}

function refuse(
  limiters: readonly RateLimiter[],
  limiter: RateLimiter,
  result: LimitResult,
  input: HttpInput,
  state: RequestLimitState,
): Pending<HttpDenial> {
  const earlier = state.spent.splice(0);
  const send = () => {
    const all = [...earlier.map((s) => s.result), result];
    const headers = rateLimitHeaders(all, headerSettings(limiters));
    return denial(limiter, result, headers, input.exchange, input.context);
  };
  if (earlier.length === 0) return send();
  return Promise.all(earlier.map((s) => s.limiter.refund(s.result).catch(() => undefined))).then(
    send,
  );
}
