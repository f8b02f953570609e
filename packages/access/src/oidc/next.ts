import { nextRoute } from '@platform/core/next';
import type { OidcLogin } from './index.js';

/**
 * The login and callback handlers as App Router route handlers.
 *
 * @example
 * // app/auth/login/route.ts
 * export const GET = oidcRoutes(auth).login;
 */
export function oidcRoutes(auth: OidcLogin): {
  login: (request: Request) => Promise<Response>;
  callback: (request: Request) => Promise<Response>;
} {
  return { login: nextRoute(auth.login), callback: nextRoute(auth.callback) };
}
