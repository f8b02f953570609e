import { getContext } from '@platform/core';
import { contextOf, expressExchange, expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { AuditHandler } from './handlers.js';
import { type AuditHttpOptions, createHttpAuditor } from './http.js';
import type { AuditTrail } from './trail.js';

/**
 * Express middleware that records every mutation (POST, PUT, PATCH, DELETE by default)
 * once its response is finished, with the outcome taken from the status. Mount it after
 * `requestContext()` and your authentication, before the rate limiter and the routes, so
 * refused attempts (429) are recorded too.
 *
 * @example
 * app.use(requestContext());
 * app.use(auditRequests(audit, { exclude: ['/health'], captureBody: true }));
 */
export function auditRequests(trail: AuditTrail, options: AuditHttpOptions = {}): RequestHandler {
  const auditor = createHttpAuditor(trail, options);
  return (req, res, next) => {
    const exchange = expressExchange(req, res);
    if (!auditor.wants(req.method, exchange.path)) return next();
    const ctx = contextOf(req) ?? getContext();
    res.once('close', () => {
      auditor.finish(ctx, {
        method: req.method,
        path: exchange.path,
        route: ctx?.route ?? exchange.route,
        statusCode: res.statusCode,
        aborted: !res.writableFinished,
        params: req.params,
        body: auditor.captureBytes ? req.body : undefined,
      });
    });
    next();
  };
}

export type { AuditHttpOptions } from './http.js';

/**
 * Mounts one of `auditHandlers()`'s handlers (search, export, verify) as an Express route.
 *
 * @example
 * app.get('/admin/audit/events', auditRoute(handlers.search));
 */
export function auditRoute(handler: AuditHandler): RequestHandler {
  return expressRoute(handler);
}
