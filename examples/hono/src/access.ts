import { authenticate } from '@platform/access/hono';
import { getContext } from '@platform/core';
import { honoRoute } from '@platform/core/hono';
import type { Hono } from 'hono';
import { applyDemoAuth } from '../../shared/demo-auth.js';
import { type DemoLogin, isAuthRoute, loginRouteTable } from '../../shared/demo-login.js';

/**
 * @platform/access in the example, right after the request context so every other package
 * (rate limits, audit) keys on the identity it sets: the session (access cookie or
 * `Authorization: Bearer`) becomes the actor, tenant and roles; without one the request
 * goes on anonymous and the admin routes' `requireRole` answers 401. `DEMO_HEADER_AUTH`
 * (on unless `off`) keeps the old `X-User-*` headers for a request without a session.
 */
export function useAuthentication(app: Hono, login: DemoLogin): void {
  const authenticated = authenticate({ credentials: login.credential, required: false });
  // not on /auth/*: an expired access cookie must not block the refresh or a new login
  app.use((c, next) => (isAuthRoute(c.req.path) ? next() : authenticated(c, next)));
  if (login.headerAuth)
    app.use(async (c, next) => {
      if (!getContext()?.actor) applyDemoAuth((name) => c.req.header(name));
      await next();
    });
}

/** `/auth/login` → the identity provider → `/auth/callback` (a session), refresh and logout. */
export function loginRoutes(app: Hono, login: DemoLogin): void {
  for (const { method, path, handler } of loginRouteTable(login))
    app.on(method, path, honoRoute(handler));
}
