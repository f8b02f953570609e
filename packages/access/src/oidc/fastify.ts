import { fastifyRoute } from '@platform/core/fastify';
import type { OidcLogin } from './index.js';

/**
 * The login and callback handlers as Fastify route handlers.
 *
 * @example
 * const routes = oidcRoutes(auth);
 * app.get('/auth/login', routes.login);
 * app.get('/auth/callback', routes.callback);
 */
export function oidcRoutes(auth: OidcLogin) {
  return { login: fastifyRoute(auth.login), callback: fastifyRoute(auth.callback) };
}
