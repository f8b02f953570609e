import { Buffer } from 'node:buffer';
import { type Answer, type HttpExchange, type RequestContext, requestSlot } from '@platform/core';
import { PlatformError, RateLimitError, stringifyProblem, toProblem } from '@platform/errors';
import { describeWait, describeWindow } from './duration.js';
import {
  type HeaderSettings,
  type HeaderTarget,
  retryAfterSeconds,
  setRateLimitHeaders,
} from './headers.js';
import type { LimitInput } from './keys.js';
import { decideRequest, type RateLimiter } from './limiter.js';
import { isPromise, type Pending } from './pending.js';
import type { LimitResult } from './result.js';

/**
 * What a binding sends when a request is refused.
 * @deprecated The refusal is @platform/core's `Answer` (its body the problem+json bytes).
 */
export type HttpDenial = Answer;

/** One limiter or several, as the bindings take them. */
export type Limiters = RateLimiter | readonly RateLimiter[];

/** The limiters as a list of their own, so changing the caller's array later changes nothing. */
export function limiterList(limiters: Limiters | undefined): RateLimiter[] {
  if (limiters === undefined) return [];
  return Array.isArray(limiters) ? [...limiters] : [limiters as RateLimiter];
}

/** The plugin's limiters plus a route's own (each once); none when the route opts out. */
export function routeLimiters(
  global: readonly RateLimiter[],
  route: Limiters | false | undefined,
): readonly RateLimiter[] {
  if (route === false) return [];
  if (route === undefined) return global;
  return [...new Set([...global, ...limiterList(route)])];
}

/** Per-request memory of earlier limiters, so separate middlewares merge their headers. */
export interface RequestLimitState {
  spent: { limiter: RateLimiter; result: LimitResult }[];
  /** Fetch path: the headers are on the response (the innermost wrapper put them there). */
  decorated?: boolean;
}

const LIMIT_STATE = requestSlot<RequestLimitState>('ratelimit.spent');

/**
 * The request's limit state, so every middleware that limits the request shares it (merged
 * headers, a limiter counted once, refunds). It lives in a core request slot on the request's
 * @platform context; without `requestContext`, the bindings pass the framework's request
 * object (Express's `req`, the Fetch `Request`) to hold the same slot instead.
 */
export function requestLimitState(holder: RequestContext | object | undefined): RequestLimitState {
  // the slot is core's either way; only what holds it differs
  const on = holder as RequestContext | undefined;
  let state = LIMIT_STATE.get(on);
  if (state === undefined) {
    state = { spent: [] };
    LIMIT_STATE.set(on, state);
  }
  return state;
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
): Answer {
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
  for (const name in problem.headers) headers[name.toLowerCase()] = problem.headers[name] as string;
  return {
    status: problem.status,
    headers,
    // Bytes: Fastify would add "; charset=utf-8" to the problem media type of a string.
    body: exchange.method === 'HEAD' ? undefined : Buffer.from(stringifyProblem(problem.body)),
  };
}

/**
 * Runs the limiters in order for one request. Sets the rate-limit headers on the exchange
 * and returns undefined to go on, or the 429 (503 when failing closed) answer to send. When
 * a later limiter refuses, what earlier ones spent for this request is given back. The
 * state defaults to the request's own (see `requestLimitState`).
 *
 * @example
 * const refusal = await limitRequest([apiLimiter], exchange, getContext());
 * if (refusal) return toResponse(refusal);
 */
export function limitRequest(
  limiters: readonly RateLimiter[],
  exchange: HttpExchange,
  context: RequestContext | undefined,
  state: RequestLimitState = requestLimitState(context),
): Promise<Answer | undefined> {
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
  state: RequestLimitState = requestLimitState(context),
): Pending<Answer | undefined> {
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
): Pending<Answer | undefined> {
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

/** Collects headers under lower-case names, as an answer carries them. */
function lowerCased(out: Record<string, string>): HeaderTarget {
  return {
    setHeader(name, value) {
      out[name.toLowerCase()] = value;
    },
  };
}

function refuse(
  limiters: readonly RateLimiter[],
  limiter: RateLimiter,
  result: LimitResult,
  input: HttpInput,
  state: RequestLimitState,
): Pending<Answer> {
  const earlier = state.spent.splice(0);
  const send = () => {
    const all = [...earlier.map((s) => s.result), result];
    const headers: Record<string, string> = {};
    setRateLimitHeaders(all, headerSettings(limiters), lowerCased(headers));
    return denial(limiter, result, headers, input.exchange, input.context);
  };
  if (earlier.length === 0) return send();
  return Promise.all(earlier.map((s) => s.limiter.refund(s.result).catch(() => undefined))).then(
    send,
  );
}
