import { authenticate } from '@platform/access/fastify';
import { firstHeader, getContext } from '@platform/core';
import { fastifyRoute } from '@platform/core/fastify';
import type { FastifyInstance } from 'fastify';
import { applyDemoAuth } from '../../../shared/demo-auth.js';
import { type DemoLogin, isAuthRoute, loginRouteTable } from '../../../shared/demo-login.js';

/**
 * @platform/access in the example, right after the request context so every other package
 * (rate limits, audit, flags, cost) keys on the identity it sets: the session (access cookie
 * or `Authorization: Bearer`) becomes the actor, tenant and roles; without one the request
 * goes on anonymous and the admin routes' `requireRole` answers 401. `DEMO_HEADER_AUTH`
 * (on unless `off`) keeps the old `X-User-*` headers for a request without a session.
 */
export function addAuthentication(app: FastifyInstance, login: DemoLogin): void {
  const authenticated = authenticate({ credentials: login.credential, required: false });
  app.addHook('onRequest', async (req, reply) => {
    // not on /auth/*: an expired access cookie must not block the refresh or a new login
    if (isAuthRoute(req.url.split('?')[0] ?? '')) return;
    const refused = await authenticated(req, reply);
    if (refused) return refused;
    if (login.headerAuth && !getContext()?.actor) applyDemoAuth((n) => firstHeader(req.headers, n));
  });
}

/** `/auth/login` → the identity provider → `/auth/callback` (a session), refresh and logout. */
export function addLoginRoutes(app: FastifyInstance, login: DemoLogin): void {
  for (const { method, path, handler } of loginRouteTable(login))
    app.route({ method, url: path, handler: fastifyRoute(handler) });
}
