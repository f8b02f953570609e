import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

/**
 * One cost handler as a Next.js route handler (`export const GET = costRoute(handlers, 'usage')`).
 * Errors are thrown for the app's error wrapper (@platform/errors/next) to answer.
 *
 * @example
 * export const GET = route('/api/cost/budget', costRoute(handlers, 'budget'));
 */
export function costRoute(handlers: CostHandlers, name: keyof CostHandlers) {
  return async (request: Request): Promise<Response> => {
    const out = await handlers[name]({ query: new URL(request.url).searchParams });
    const body = typeof out.body === 'string' ? out.body : Buffer.from(out.body);
    return new Response(body, { status: out.status, headers: out.headers });
  };
}
