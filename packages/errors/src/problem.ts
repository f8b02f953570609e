import { getContext, uuidv7 } from '@platform/core';
import { CATEGORIES, titleForCode } from './categories.js';
import { categorize } from './categorize.js';
import { type CauseLink, causeChain } from './cause-chain.js';
import { type Localized, localize, type MessageTable, parseAcceptLanguage } from './messages.js';
import { hasDefaultMessage, type PlatformError, type ValidationIssue } from './platform-error.js';
import {
  compileProblemOptions,
  DEFAULT_PROBLEM_TYPE,
  type ProblemOptions,
  type ResolvedProblemOptions,
} from './problem-options.js';

/** Development-only diagnostics: what was actually thrown. Never sent in production. */
export interface ProblemDebug {
  name: string;
  message: string;
  stack?: string;
  cause: CauseLink[];
}

/** An RFC 9457 problem details body, with the @platform extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  code: string;
  errors?: ValidationIssue[];
  retryAfter?: number;
  debug?: ProblemDebug;
  [extension: string]: unknown;
}

/** Everything a binding needs to answer: status, headers to set, body. */
export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDetails;
}

/** Per-request facts the body is built from. */
export interface ProblemContext {
  /** Defaults to the current request context's id (or a fresh UUIDv7 outside a request). */
  requestId?: string;
  /** The request path; becomes `instance`. */
  instance?: string;
  /** A locale decided by the host; wins over `acceptLanguage`. */
  locale?: string;
  /** The request's `Accept-Language`, negotiated against the configured messages. */
  acceptLanguage?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const RESERVED = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'requestId',
  'code',
  'errors',
  'retryAfter',
  'debug',
  '__proto__',
]);

function own(table: MessageTable, key: string): Localized | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function detailOf(err: PlatformError, preferred: string[], messages: MessageTable): string {
  const byCode =
    err.code === err.category ? undefined : localize(own(messages, err.code), preferred);
  if (byCode !== undefined) return byCode;
  if (err.expose && !hasDefaultMessage(err)) return err.message;
  return localize(own(messages, err.category), preferred) ?? CATEGORIES[err.category].detail;
}

function titleOf(err: PlatformError, preferred: string[], titles: MessageTable): string {
  return (
    localize(own(titles, err.code), preferred) ??
    (err.code === err.category ? undefined : titleForCode(err.code)) ??
    localize(own(titles, err.category), preferred) ??
    CATEGORIES[err.category].title
  );
}

function debugOf(thrown: unknown): ProblemDebug {
  const [self, ...cause] = causeChain(thrown);
  let stack: string | undefined;
  try {
    stack = thrown instanceof Error ? thrown.stack : undefined;
  } catch {
    stack = undefined;
  }
  return {
    name: self?.name ?? 'Error',
    message: self?.message ?? '',
    ...(stack ? { stack } : {}),
    cause,
  };
}

/** Builds the response for an already categorized error; `thrown` is what the app threw. */
export function buildProblem(
  thrown: unknown,
  err: PlatformError,
  ctx: ProblemContext,
  opts: ResolvedProblemOptions,
): ProblemResponse {
  const preferred = ctx.locale ? [ctx.locale] : parseAcceptLanguage(ctx.acceptLanguage);
  preferred.push(opts.defaultLocale);
  const body: ProblemDetails = {
    type: opts.typeBase === undefined ? DEFAULT_PROBLEM_TYPE : opts.typeBase + err.code,
    title: titleOf(err, preferred, opts.titles),
    status: err.status,
    detail: detailOf(err, preferred, opts.messages),
    requestId: ctx.requestId ?? getContext()?.requestId ?? uuidv7(),
    code: err.code,
  };
  if (ctx.instance !== undefined) body.instance = ctx.instance.slice(0, 2048);
  if (err.expose && err.errors?.length) body.errors = err.errors;
  const headers: Record<string, string> = { 'Content-Type': PROBLEM_CONTENT_TYPE };
  if (err.retryAfter !== undefined) {
    body.retryAfter = Math.ceil(err.retryAfter);
    headers['Retry-After'] = String(body.retryAfter);
  }
  if (err.status === 401 && opts.authScheme) headers['WWW-Authenticate'] = opts.authScheme;
  for (const [key, value] of Object.entries(err.details)) {
    if (!RESERVED.has(key)) body[key] = value;
  }
  if (!opts.production) body.debug = debugOf(thrown);
  return { status: err.status, headers, body };
}

/**
 * Turns any error into an RFC 9457 `application/problem+json` response: body plus the
 * headers to set (`Content-Type`, `Retry-After`, `WWW-Authenticate`). In production the
 * body carries no stack, no internal message and no cause.
 *
 * @example
 * const { status, headers, body } = toProblem(err, { instance: '/orders/42' }, { production: true });
 */
export function toProblem(
  err: unknown,
  ctx: ProblemContext = {},
  options?: ProblemOptions,
): ProblemResponse {
  return buildProblem(err, categorize(err), ctx, compileProblemOptions(options));
}

/**
 * `JSON.stringify` for problem bodies that never throws: when extension members cannot
 * be serialized (BigInt, cycles), they are left out rather than failing the response.
 */
export function stringifyProblem(body: ProblemDetails): string {
  try {
    return JSON.stringify(body);
  } catch {
    const { type, title, status, detail, instance, requestId, code, errors, retryAfter } = body;
    return JSON.stringify({
      type,
      title,
      status,
      detail,
      instance,
      requestId,
      code,
      errors,
      retryAfter,
    });
  }
}
