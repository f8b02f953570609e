import { honoRoute } from '@platform/core/hono';
import type { OidcLogin } from './index.js';

/**
 * The login and callback handlers as Hono handlers.
 *
 * @example
 * const routes = oidcRoutes(auth);
 * app.get('/auth/login', routes.login);
 * app.get('/auth/callback', routes.callback);
 */
export function oidcRoutes(auth: OidcLogin) {
  return { login: honoRoute(auth.login), callback: honoRoute(auth.callback) };
}
