import { nextRoute } from '@platform/core/next';
import { auditFetch, type FetchAuditOptions, type FetchHandler } from './fetch.js';
import type { AuditHandler } from './handlers.js';
import type { AuditTrail } from './trail.js';

/**
 * Wraps an App Router route handler: records the request when it is a mutation (POST, PUT,
 * PATCH, DELETE by default), with the outcome from the response status (or failure when the
 * handler throws). Put it inside `withRequestContext` and outside `withRateLimit`, so refused
 * attempts (429) are recorded too.
 *
 * @example
 * export const POST = withRequestContext(withAudit(handler, audit, { route: '/api/items' }));
 */
export function withAudit<A extends unknown[]>(
  handler: FetchHandler<A>,
  trail: AuditTrail,
  options: FetchAuditOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  return auditFetch(handler, trail, options);
}

export type { AuditHttpOptions } from './http.js';

/**
 * An App Router GET handler for one of `auditHandlers()`'s handlers; exports stream.
 *
 * @example
 * export const GET = withRequestContext(auditRoute(handlers.search));
 */
export function auditRoute(handler: AuditHandler): (request: Request) => Promise<Response> {
  return nextRoute(handler);
}
