import { getContext } from '@platform/core';
import { contextOf } from '@platform/core/express';
import type { Request, RequestHandler } from 'express';
import { type FlagAdminOptions, flagAdmin } from './admin.js';
import type { FlagReader, Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { flagsForRequest } from './http.js';
import type { EvaluationContext } from './model.js';

export interface ExpressFlags<D extends DefinitionMap> {
  /** Binds the flags to each request (after core's `requestContext` and your auth). */
  middleware: RequestHandler;
  /** The request's flags (bound lazily when the middleware did not run). */
  of(req: Request): FlagReader<D>;
}

/**
 * Per-request flags for Express: `of(req)` evaluates with the request's user, tenant and
 * roles applied (plus `context(req)` when given).
 *
 * @example
 * const reqFlags = expressFlags(flags);
 * app.use(reqFlags.middleware);
 * app.get('/reports', (req, res) => res.json({ beta: reqFlags.of(req).isEnabled('betaReports') }));
 */
export function expressFlags<D extends DefinitionMap>(
  flags: Flags<D>,
  options: { context?: (req: Request) => EvaluationContext | undefined } = {},
): ExpressFlags<D> {
  const bound = new WeakMap<Request, FlagReader<D>>();
  const bind = (req: Request) => {
    const reader = flagsForRequest(flags, contextOf(req) ?? getContext(), options.context?.(req));
    bound.set(req, reader);
    return reader;
  };
  return {
    middleware: (req, _res, next) => {
      bind(req);
      next();
    },
    of: (req) => bound.get(req) ?? bind(req),
  };
}

/**
 * Mounts the framework-neutral admin API (see `flagAdmin`); needs `express.json()` first.
 *
 * @example
 * app.use('/admin/flags', express.json(), flagAdminRouter(flags, { authorize: requireAdmin }));
 */
export function flagAdminRouter<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions = {},
): RequestHandler {
  const admin = flagAdmin(flags, options);
  return (req, res, next) => {
    const q = req.url.indexOf('?');
    admin({
      method: req.method,
      path: q === -1 ? req.url : req.url.slice(0, q),
      query: new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1)),
      body: req.body,
    }).then((r) => {
      res
        .status(r.status)
        .set(r.headers)
        .end(r.body || undefined);
    }, next);
  };
}
