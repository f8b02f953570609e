import { getContext } from '@platform/core';
import { contextOf, expressRoute } from '@platform/core/express';
import type { Request, RequestHandler } from 'express';
import { type FlagAdminOptions, flagAdmin } from './admin.js';
import type { FlagReader, Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { requestFlagsBinder } from './http.js';
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
  const binder = requestFlagsBinder(flags, options.context);
  const ctx = (req: Request) => contextOf(req) ?? getContext();
  return {
    middleware: (req, _res, next) => {
      binder.bind(req, ctx(req));
      next();
    },
    of: (req) => binder.of(req, ctx(req)),
  };
}

/**
 * Mounts the admin API (see `flagAdmin`) where it is used; reads JSON bodies itself when
 * no `express.json()` ran first.
 *
 * @example
 * app.use('/admin/flags', express.json(), flagAdminRouter(flags, { authorize: requireAdmin }));
 */
export function flagAdminRouter<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions = {},
): RequestHandler {
  return expressRoute(flagAdmin(flags, options));
}
