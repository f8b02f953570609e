import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

const NAMES = new Set(['usage', 'timeseries', 'report', 'budget', 'billing']);

/**
 * Mounts the usage, timeseries, report, budget and billing handlers as
 * `GET <prefix>/<name>`; errors go to the app's error handler (problem+json with @platform/errors).
 *
 * @example
 * app.use(costApi(costHandlers({ control }), { prefix: '/api/cost' }));
 */
export function costApi(handlers: CostHandlers, options: { prefix?: string } = {}): RequestHandler {
  const prefix = options.prefix ?? '/api/cost';
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.path.startsWith(`${prefix}/`)) return next();
    const name = req.path.slice(prefix.length + 1);
    if (!NAMES.has(name)) return next();
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    handlers[name as keyof CostHandlers]({ query }).then((out) => {
      res
        .status(out.status)
        .set(out.headers)
        .end(typeof out.body === 'string' ? out.body : Buffer.from(out.body));
    }, next);
  };
}
