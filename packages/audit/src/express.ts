import { getContext } from '@platform/core';
import { contextOf } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { AuditHandler } from './handlers.js';
import { type AuditHttpOptions, createHttpAuditor } from './http.js';
import { writeResult } from './node-response.js';
import type { AuditTrail } from './trail.js';

/**
 * Express middleware that records every mutation (POST, PUT, PATCH, DELETE by default)
 * once its response is finished, with the outcome taken from the status. Mount it after
 * `requestContext()` and your authentication, before the routes.
 *
 * @example
 * app.use(requestContext());
 * app.use(auditRequests(audit, { exclude: ['/health'], captureBody: true }));
 */
export function auditRequests(trail: AuditTrail, options: AuditHttpOptions = {}): RequestHandler {
  const auditor = createHttpAuditor(trail, options);
  return (req, res, next) => {
    const q = req.originalUrl.indexOf('?');
    const path = q === -1 ? req.originalUrl : req.originalUrl.slice(0, q);
    if (!auditor.wants(req.method, path)) return next();
    const ctx = contextOf(req) ?? getContext();
    res.once('close', () => {
      auditor.finish(ctx, {
        method: req.method,
        path,
        route: ctx?.route ?? (req.route ? `${req.baseUrl}${req.route.path}` : undefined),
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
  return (req, res, next) => {
    const q = req.originalUrl.indexOf('?');
    const query = new URLSearchParams(q === -1 ? '' : req.originalUrl.slice(q + 1));
    handler(query)
      .then((out) => writeResult(res, out))
      .catch(next);
  };
}
