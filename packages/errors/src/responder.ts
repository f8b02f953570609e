import {
  counter,
  type Diagnostics,
  diagnostics,
  type ErrorInfo,
  getContext,
  metricsEnabled,
  type PlatformLogger,
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

/**
 * What `onError` receives second: the response sent, which is also core's `ErrorInfo`
 * (`component: '@platform/errors'`, `code: 'ERRORS_RESPONSE'`, the request id), so the
 * `onError` listener every @platform package accepts fits here as well.
 */
export type ErrorReport = ProblemResponse & ErrorInfo & { requestId: string };

/**
 * Called once per error answered. Core's `ErrorListener` (`(error, info) => void`) is one;
 * so is the older three-argument hook `(err, problem, ctx)`.
 */
export type OnErrorHook = (
  err: PlatformError,
  problem: ErrorReport,
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
   * Where 5xx errors are logged (`request failed`, with the request id, status, code,
   * severity and cause chain). Default: @platform/core's process-wide logger (the first
   * `@platform/tracing` logger, else JSON lines on stderr).
   */
  logger?: PlatformLogger;
  /**
   * Called once per error with the categorized error (original under `cause`), the
   * response and the request context, so the host records it. Errors it throws are
   * swallowed. Given without `logger`, it replaces the log line.
   */
  onError?: OnErrorHook;
}

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'must be a function');

const schema = z.object({
  ...problemOptionsShape,
  locale: z
    .union([z.string().regex(LOCALE_PATTERN, 'must be a language tag'), fn<LocaleResolver>()])
    .optional(),
  logger: z
    .custom<PlatformLogger>(
      (v) => typeof (v as { error?: unknown } | null)?.error === 'function',
      'must be a logger with error(fields, message)',
    )
    .optional(),
  onError: fn<OnErrorHook>().optional(),
});

/** Turns any thrown value into the problem response for one request. */
export type ErrorResponder = (
  err: unknown,
  exchange?: ErrorExchange,
  context?: RequestContext,
) => ProblemResponse;

const COMPONENT = '@platform/errors';

const answered = counter({
  name: 'platform_errors_total',
  help: 'Errors answered with a problem response, by category and code.',
  labelNames: ['category', 'code'],
});

/** One `request failed` line per 5xx, on the package's diagnostics channel. */
function logFailure(diag: Diagnostics, err: PlatformError, report: ErrorReport): void {
  if (report.status < 500) return;
  diag.error('ERRORS_REQUEST_FAILED', err, 'request failed', {
    requestId: report.requestId,
    status: report.status,
    errorCode: err.code,
    severity: err.severity,
    causes: causeChain(err),
  });
}

function safely(hook: OnErrorHook, ...args: Parameters<OnErrorHook>): void {
  try {
    const result: unknown = hook(...args);
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // the hook is the host's logger; a failing logger must not replace the response
  }
}

/** Reports an answered error: the log line (unless `onError` alone replaces it), then `onError`. */
function reporter(options: { logger?: PlatformLogger; onError?: OnErrorHook }) {
  const { logger, onError } = options;
  const diag = onError && !logger ? undefined : diagnostics(COMPONENT, { logger });
  return (err: PlatformError, response: ProblemResponse, ctx: ErrorContext) => {
    if (metricsEnabled()) answered.inc({ category: err.category, code: err.code });
    const report: ErrorReport = {
      ...response,
      component: COMPONENT,
      code: 'ERRORS_RESPONSE',
      requestId: ctx.requestId,
    };
    if (diag) logFailure(diag, err, report);
    if (onError) safely(onError, err, report, ctx);
  };
}

/**
 * The framework-neutral core every binding calls: categorizes the error, builds the
 * RFC 9457 response for this request (request id, path, locale) and reports it to
 * `onError`. Never throws for a thrown value; throws a ConfigError for bad options.
 *
 * @example
 * const respond = createErrorResponder({ logger: pino(), onError: (err, report) => count(report.status) });
 * const { status, headers, body } = respond(err, exchange);
 */
export function createErrorResponder(options: ErrorResponderOptions = {}): ErrorResponder {
  const { locale, logger, onError, ...problem } = parseOptions(schema, options, 'errorResponder');
  const opts = resolveProblemOptions(problem);
  const report = reporter({ logger, onError });
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
    report(err, response, { requestId, method, path, route, context });
    return response;
  };
}

// A cache per options object (not per request state): one responder for each set of options.
const responders = new WeakMap<object, ErrorResponder>();

/** The responder for these options, made once per options object. */
export function responderFor(options: ErrorResponderOptions): ErrorResponder {
  const known = responders.get(options);
  if (known) return known;
  const respond = createErrorResponder(options);
  responders.set(options, respond);
  return respond;
}
