import { type FetchKeyOptions, fetchKeyCheck } from './fetch.js';

type Handler<A extends unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wraps an App Router route handler: verifies the API key (and `scopes`), sets the actor,
 * tenant and key in the request context, else answers 401/403 problem+json. Put it inside
 * `withRequestContext`.
 *
 * @example
 * export const GET = withRequestContext(withApiKey(list, { keys, scopes: ['invoices:read'] }));
 */
export function withApiKey<A extends unknown[]>(
  handler: Handler<A>,
  options: FetchKeyOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  const check = fetchKeyCheck(options);
  return async (request, ...args) => (await check(request)) ?? handler(request, ...args);
}
