import { getContext } from '@platform/core';
import type { AuditHandler } from './handlers.js';
import { type AuditHttpOptions, createHttpAuditor } from './http.js';
import type { AuditTrail } from './trail.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wraps an App Router route handler: records the request when it is a mutation (POST, PUT,
 * PATCH, DELETE by default), with the outcome from the response status (or failure when the
 * handler throws). Put it inside `withRequestContext`.
 *
 * @example
 * export const POST = withRequestContext(withAudit(handler, audit, { route: '/api/items' }));
 */
export function withAudit<A extends unknown[]>(
  handler: Handler<A>,
  trail: AuditTrail,
  options: AuditHttpOptions & { route?: string } = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const { route, ...rules } = options;
  const auditor = createHttpAuditor(trail, rules);
  return async (request, ...args) => {
    const path = new URL(request.url).pathname;
    if (!auditor.wants(request.method, path)) return handler(request, ...args);
    const ctx = getContext();
    let body: unknown;
    if (
      auditor.captureBytes &&
      Number(request.headers.get('content-length') ?? 0) <= auditor.captureBytes
    ) {
      body = await request
        .clone()
        .text()
        .then((t) => {
          try {
            return JSON.parse(t);
          } catch {
            return t;
          }
        })
        .catch(() => undefined);
    }
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
  };
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

export type { AuditHttpOptions } from './http.js';

/**
 * An App Router GET handler for one of `auditHandlers()`'s handlers; exports stream.
 *
 * @example
 * export const GET = route('/api/audit/events', auditRoute(handlers.search));
 */
export function auditRoute(handler: AuditHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const out = await handler(new URL(request.url).searchParams);
    if (typeof out.body === 'string')
      return new Response(out.body, { status: out.status, headers: out.headers });
    const it = out.body[Symbol.asyncIterator]();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(new TextEncoder().encode(next.value));
      },
      async cancel() {
        await it.return?.();
      },
    });
    return new Response(stream, { status: out.status, headers: out.headers });
  };
}
