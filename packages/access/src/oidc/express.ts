import { expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { OidcLogin } from './index.js';

/**
 * The login and callback handlers as Express routes.
 *
 * @example
 * const routes = oidcRoutes(auth);
 * app.get('/auth/login', routes.login);
 * app.get('/auth/callback', routes.callback);
 */
export function oidcRoutes(auth: OidcLogin): { login: RequestHandler; callback: RequestHandler } {
  return { login: expressRoute(auth.login), callback: expressRoute(auth.callback) };
}
