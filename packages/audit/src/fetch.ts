import { getContext } from '@platform/core';
import { type AuditHttpOptions, createHttpAuditor, type HttpAuditor } from './http.js';
import type { AuditTrail } from './trail.js';

/** A Fetch route handler (Next's App Router, or any Request-in, Response-out framework). */
export type FetchHandler<A extends unknown[]> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

export interface FetchAuditOptions extends AuditHttpOptions {
  /** The route template to record, e.g. `/api/items/[id]`. */
  route?: string;
}

/** The request body for `metadata.body`: JSON when it parses, else text; read from a clone. */
async function capturedBody(request: Request, maxBytes: number): Promise<unknown> {
  if (!maxBytes || Number(request.headers.get('content-length') ?? 0) > maxBytes) return undefined;
  try {
    const text = await request.clone().text();
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  } catch {
    return undefined;
  }
}

/** Next passes `{ params: Promise<…> }` as the second argument of dynamic routes. */
async function paramsOf(arg: unknown): Promise<Record<string, unknown> | undefined> {
  const p = (arg as { params?: unknown } | undefined)?.params;
  if (!p) return undefined;
  try {
    return (await p) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function runAudited<A extends unknown[]>(
  auditor: HttpAuditor,
  route: string | undefined,
  handler: FetchHandler<A>,
  request: Request,
  args: A,
): Promise<Response> {
  const path = new URL(request.url).pathname;
  if (!auditor.wants(request.method, path)) return handler(request, ...args);
  const ctx = getContext();
  const body = await capturedBody(request, auditor.captureBytes);
  const params = await paramsOf(args[0]);
  const info = { method: request.method, path, route: route ?? ctx?.route, params, body };
  try {
    const response = await handler(request, ...args);
    auditor.finish(ctx, { ...info, statusCode: response.status });
    return response;
  } catch (error) {
    auditor.finish(ctx, { ...info, statusCode: 500 });
    throw error;
  }
}

/**
 * Wraps a Fetch route handler so each mutation it answers is recorded, with the outcome from
 * the response status (failure, status 500, when it throws). Whatever answers inside it (a
 * rate limiter's 429 included) is recorded.
 */
export function auditFetch<A extends unknown[]>(
  handler: FetchHandler<A>,
  trail: AuditTrail,
  options: FetchAuditOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const { route, ...rules } = options;
  const auditor = createHttpAuditor(trail, rules);
  return (request, ...args) => runAudited(auditor, route, handler, request, args);
}
