import {
  getContext,
  parseOptions,
  parseRequestId,
  type RequestContext,
  uuidv7,
} from '@platform/core';
import { z } from 'zod';
import { categorize } from './categorize.js';
import { causeChain } from './cause-chain.js';
import { LOCALE_PATTERN } from './messages.js';
import type { PlatformError } from './platform-error.js';
import { buildProblem, type ProblemResponse } from './problem.js';
import {
  type ProblemOptions,
  problemOptionsShape,
  resolveProblemOptions,
} from './problem-options.js';

/** The parts of a request the responder reads; core's `HttpExchange` satisfies it. */
export interface ErrorExchange {
  readonly method?: string;
  /** Path without the query string; becomes the problem's `instance`. */
  readonly path?: string;
  readonly route?: string;
  header?(name: string): string | undefined;
}

/** What the `onError` hook learns about the failed request. */
export interface ErrorContext {
  requestId: string;
  method?: string;
  path?: string;
  route?: string;
  /** The full request context (tenant, actor, trace) when one is open. */
  context?: RequestContext;
}

export type OnErrorHook = (
  err: PlatformError,
  problem: ProblemResponse,
  ctx: ErrorContext,
) => void | Promise<void>;

export type LocaleResolver = (
  acceptLanguage: string | undefined,
  exchange: ErrorExchange,
) => string | undefined;

export interface ErrorResponderOptions extends ProblemOptions {
  /** A fixed locale, or a function of the request's `Accept-Language`. Default: negotiate. */
  locale?: string | LocaleResolver;
  /**
   * Called once per error with the categorized error (original under `cause`), the
   * response and the request id, so the host's logger records it. Errors it throws
   * are swallowed. Default: 5xx errors are written to stderr as one JSON line.
   */
  onError?: OnErrorHook;
}

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'must be a function');

const schema = z.object({
  ...problemOptionsShape,
  locale: z
    .union([z.string().regex(LOCALE_PATTERN, 'must be a language tag'), fn<LocaleResolver>()])
    .optional(),
  onError: fn<OnErrorHook>().optional(),
});

/** Turns any thrown value into the problem response for one request. */
export type ErrorResponder = (
  err: unknown,
  exchange?: ErrorExchange,
  context?: RequestContext,
) => ProblemResponse;

const logToStderr: OnErrorHook = (err, problem, ctx) => {
  if (problem.status < 500) return;
  const { requestId } = ctx;
  const { status } = problem;
  const facts = { code: err.code, severity: err.severity, causes: causeChain(err) };
  console.error(
    JSON.stringify({ level: 'error', msg: 'request failed', requestId, status, ...facts }),
  );
};

function safely(hook: OnErrorHook, ...args: Parameters<OnErrorHook>): void {
  try {
    const result: unknown = hook(...args);
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // the hook is the host's logger; a failing logger must not replace the response
  }
}

/**
 * The framework-neutral core every binding calls: categorizes the error, builds the
 * RFC 9457 response for this request (request id, path, locale) and reports it to
 * `onError`. Never throws for a thrown value; throws a ConfigError for bad options.
 *
 * @example
 * const respond = createErrorResponder({ onError: (err, p, ctx) => log.error({ err, requestId: ctx.requestId }) });
 * const { status, headers, body } = respond(err, exchange);
 */
export function createErrorResponder(options: ErrorResponderOptions = {}): ErrorResponder {
  const {
    locale,
    onError = logToStderr,
    ...problem
  } = parseOptions(schema, options, 'errorResponder');
  const opts = resolveProblemOptions(problem);
  const localeFor = (ex: ErrorExchange, acceptLanguage: string | undefined) => {
    if (typeof locale !== 'function') return locale;
    try {
      const picked = locale(acceptLanguage, ex);
      return typeof picked === 'string' && LOCALE_PATTERN.test(picked) ? picked : undefined;
    } catch {
      return undefined;
    }
  };
  return (thrown, exchange = {}, context = getContext()) => {
    const err = categorize(thrown);
    const header = (name: string) => exchange.header?.(name);
    const requestId = context?.requestId ?? parseRequestId(header('x-request-id')) ?? uuidv7();
    const acceptLanguage = header('accept-language');
    const response = buildProblem(
      thrown,
      err,
      {
        requestId,
        instance: exchange.path,
        acceptLanguage,
        locale: localeFor(exchange, acceptLanguage),
      },
      opts,
    );
    // without an open context nobody echoed the id yet; with one, its header is kept as is
    if (!context) response.headers['X-Request-ID'] = requestId;
    const { method, path } = exchange;
    const route = exchange.route ?? context?.route;
    safely(onError, err, response, { requestId, method, path, route, context });
    return response;
  };
}
