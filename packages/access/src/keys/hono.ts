import type { MiddlewareHandler } from 'hono';
import { type FetchKeyOptions, fetchKeyCheck, fetchScopeCheck } from './fetch.js';

/**
 * Hono middleware: verifies the API key (and `scopes`) and sets the actor, tenant and key
 * in the request context, else answers 401/403 problem+json. Run it inside core's
 * `requestContext()`.
 *
 * @example
 * app.use('/api/*', apiKeyAuth({ keys }));
 * app.get('/api/invoices', requireScope('invoices:read'), (c) => c.json(list()));
 */
export function apiKeyAuth(options: FetchKeyOptions): MiddlewareHandler {
  const check = fetchKeyCheck(options);
  return async (c, next) => (await check(c.req.raw)) ?? next();
}

/** Hono middleware: 401/403 problem+json unless the request's API key has every scope. */
export function requireScope(...scopes: string[]): MiddlewareHandler {
  const check = fetchScopeCheck(scopes);
  return async (c, next) => check(c.req.raw) ?? next();
}
