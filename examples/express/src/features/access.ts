import { authenticate } from '@platform/access/express';
import { getContext } from '@platform/core';
import { expressRoute } from '@platform/core/express';
import type { Express } from 'express';
import { applyDemoAuth } from '../../../shared/demo-auth.js';
import { type DemoLogin, isAuthRoute, loginRouteTable } from '../../../shared/demo-login.js';

/**
 * @platform/access in the example, mounted right after the request context so every other
 * package (rate limits, audit, flags, cost) keys on the identity it sets: the session
 * (access cookie or `Authorization: Bearer`) becomes the actor, tenant and roles; without
 * one the request goes on anonymous, and the admin routes' `requireRole` answers 401.
 * `DEMO_HEADER_AUTH` (on unless `off`) keeps the old `X-User-*` headers for a request
 * that brings no session.
 */
export function mountAuthentication(app: Express, login: DemoLogin): void {
  const authenticated = authenticate({ credentials: login.credential, required: false });
  // not on /auth/*: an expired access cookie must not block the refresh or a new login
  app.use((req, res, next) => (isAuthRoute(req.path) ? next() : authenticated(req, res, next)));
  if (login.headerAuth)
    app.use((req, _res, next) => {
      if (!getContext()?.actor) applyDemoAuth((name) => req.get(name));
      next();
    });
}

/** `/auth/login` → the identity provider → `/auth/callback` (a session), refresh and logout. */
export function mountLoginRoutes(app: Express, login: DemoLogin): void {
  for (const { method, path, handler } of loginRouteTable(login))
    app[method === 'GET' ? 'get' : 'post'](path, expressRoute(handler));
}
