import { expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import { costApiHandler } from './api.js';
import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

/**
 * Mounts the usage, timeseries, report, budget and billing handlers as
 * `GET <prefix>/<name>`; errors go to the app's error handler (problem+json with @platform/errors).
 *
 * @example
 * app.use(costApi(costHandlers({ control }), { prefix: '/api/cost' }));
 */
export function costApi(handlers: CostHandlers, options: { prefix?: string } = {}): RequestHandler {
  return expressRoute(costApiHandler(handlers, options));
}
