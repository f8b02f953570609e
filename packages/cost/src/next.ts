import { nextRoute } from '@platform/core/next';
import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

/**
 * One cost handler as a Next.js route handler (`export const GET = costRoute(handlers, 'usage')`).
 * Errors are thrown for the app's error wrapper (@platform/errors/next) to answer.
 *
 * @example
 * export const GET = route('/api/cost/budget', costRoute(handlers, 'budget'));
 */
export function costRoute(
  handlers: CostHandlers,
  name: keyof CostHandlers,
): (request: Request) => Promise<Response> {
  return nextRoute(handlers[name]);
}
