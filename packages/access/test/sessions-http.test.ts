import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { getContext } from '@platform/core';
import { expressRoute, requestContext } from '@platform/core/express';
import { requestContext as fastifyContext, fastifyRoute } from '@platform/core/fastify';
import { requestContext as honoContext, honoRoute } from '@platform/core/hono';
import { nextRoute, withRequestContext } from '@platform/core/next';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../src/express.js';
import { authenticate as fastifyAuthenticate } from '../src/fastify.js';
import { authenticate as honoAuthenticate } from '../src/hono.js';
import {
  createSessions,
  memorySessionStore,
  type SessionEngine,
  sessionHandlers,
} from '../src/index.js';
import { withAuthentication } from '../src/next.js';
import { closing, expectProblem, listening } from './support.js';

const secret = 'http-sessions-secret-of-32-bytes-or-more';

/** Login (host code: issue + both cookies), refresh, logout, logout-everywhere and /me. */
type ServeSessions = (sessions: SessionEngine) => Promise<{ url: string; close(): Promise<void> }>;

const serveExpress: ServeSessions = async (sessions) => {
  const app = express();
  app.use(requestContext());
  const handlers = sessionHandlers(sessions);
  const authed = authenticate({ credentials: sessions.credential() });
  app.post('/login/:user', async (req, res) => {
    const pair = await sessions.issue({ userId: String(req.params.user), roles: ['viewer'] });
    res.setHeader('set-cookie', sessions.setCookies(pair));
    res.json({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
  });
  app.post('/auth/refresh', expressRoute(handlers.refresh));
  app.post('/auth/logout', expressRoute(handlers.logout));
  app.post('/auth/logout-everywhere', authed, expressRoute(handlers.logoutEverywhere));
  app.get('/me', authed, (_req, res) => {
    res.json({ id: getContext()?.actor?.id });
  });
  const server = app.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { url, close: () => closing(server) };
};

const serveHono: ServeSessions = async (sessions) => {
  const app = new Hono();
  app.use(honoContext());
  const handlers = sessionHandlers(sessions);
  const authed = honoAuthenticate({ credentials: sessions.credential() });
  app.post('/login/:user', async (c) => {
    const pair = await sessions.issue({ userId: c.req.param('user'), roles: ['viewer'] });
    for (const cookie of sessions.setCookies(pair))
      c.header('set-cookie', cookie, { append: true });
    return c.json({ accessToken: pair.accessToken, refreshToken: pair.refreshToken });
  });
  app.post('/auth/refresh', honoRoute(handlers.refresh));
  app.post('/auth/logout', honoRoute(handlers.logout));
  app.post('/auth/logout-everywhere', authed, honoRoute(handlers.logoutEverywhere));
  app.get('/me', authed, (c) => c.json({ id: getContext()?.actor?.id }));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { url, close: () => closing(server) };
};

const serveFastify: ServeSessions = async (sessions) => {
  const app = Fastify();
  await app.register(fastifyContext);
  const handlers = sessionHandlers(sessions);
  const authed = fastifyAuthenticate({ credentials: sessions.credential() });
  app.post<{ Params: { user: string } }>('/login/:user', async (req, reply) => {
    const pair = await sessions.issue({ userId: req.params.user, roles: ['viewer'] });
    reply.header('set-cookie', sessions.setCookies(pair));
    return { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  });
  app.post('/auth/refresh', fastifyRoute(handlers.refresh));
  app.post('/auth/logout', fastifyRoute(handlers.logout));
  app.post(
    '/auth/logout-everywhere',
    { preHandler: authed },
    fastifyRoute(handlers.logoutEverywhere),
  );
  app.get('/me', { preHandler: authed }, async () => ({ id: getContext()?.actor?.id }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
};

// App Router route handlers (Request in, Response out), dispatched by path on loopback.
const serveNext: ServeSessions = async (sessions) => {
  const handlers = sessionHandlers(sessions);
  const auth = { credentials: sessions.credential() };
  const login = async (request: Request) => {
    const user = new URL(request.url).pathname.split('/')[2] ?? '';
    const pair = await sessions.issue({ userId: user, roles: ['viewer'] });
    const headers = new Headers();
    for (const cookie of sessions.setCookies(pair)) headers.append('set-cookie', cookie);
    return Response.json(
      { accessToken: pair.accessToken, refreshToken: pair.refreshToken },
      { headers },
    );
  };
  const me = async () => Response.json({ id: getContext()?.actor?.id });
  const routes: Record<string, (request: Request) => Promise<Response>> = {
    'POST /auth/refresh': withRequestContext(nextRoute(handlers.refresh)),
    'POST /auth/logout': withRequestContext(nextRoute(handlers.logout)),
    'POST /auth/logout-everywhere': withRequestContext(
      withAuthentication(nextRoute(handlers.logoutEverywhere), auth),
    ),
    'GET /me': withRequestContext(withAuthentication(me, auth)),
  };
  const server = createAdaptorServer({
    fetch: (request: Request) => {
      const path = new URL(request.url).pathname;
      if (request.method === 'POST' && path.startsWith('/login/')) return login(request);
      const route = routes[`${request.method} ${path}`];
      return route ? route(request) : new Response('not found', { status: 404 });
    },
  }) as Server;
  server.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { url, close: () => closing(server) };
};

const cookieValue = (setCookie: string | null | undefined, name: string) =>
  setCookie?.match(new RegExp(`${name}=([^;]*)`))?.[1];

function describeSessions(name: string, serve: ServeSessions) {
  describe(name, () => {
    let url: string;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ url, close } = await serve(createSessions({ store: memorySessionStore(), secret })));
    });
    afterAll(() => close());

    const login = async (user: string) => {
      const res = await fetch(`${url}/login/${user}`, { method: 'POST' });
      const cookies = res.headers.getSetCookie();
      return { ...((await res.json()) as { accessToken: string; refreshToken: string }), cookies };
    };
    const post = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { method: 'POST', ...init });
    const withRefreshCookie = (token: string) => ({
      headers: { cookie: `refresh_token=${token}` },
    });

    it('logs in with Secure, HttpOnly, SameSite cookies the API accepts', async () => {
      const { cookies, accessToken } = await login('ann');
      expect(cookies).toHaveLength(2);
      for (const c of cookies) expect(c).toMatch(/; HttpOnly; SameSite=(Lax|Strict); Secure$/);
      const me = await fetch(`${url}/me`, {
        headers: { cookie: `access_token=${cookieValue(cookies[0], 'access_token')}` },
      });
      expect(await me.json()).toEqual({ id: 'ann' });
      const bearer = await fetch(`${url}/me`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(bearer.status).toBe(200);
    });

    it('rotates through the refresh cookie, keeping the refresh token out of the body', async () => {
      const { refreshToken } = await login('bob');
      const res = await post('/auth/refresh', withRefreshCookie(refreshToken));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 86_400 });
      expect(body).not.toHaveProperty('refreshToken');
      const next = cookieValue(res.headers.get('set-cookie'), 'refresh_token');
      expect(next).toBeTruthy();
      expect(next).not.toBe(refreshToken);
      expect(res.headers.get('set-cookie')).toMatch(
        /Path=\/auth; .*HttpOnly; SameSite=Strict; Secure/,
      );
      // the new access token goes out as its own cookie beside it
      const set = res.headers.getSetCookie();
      expect(set).toHaveLength(2);
      expect(
        cookieValue(
          set.find((c) => c.startsWith('access_token=')),
          'access_token',
        ),
      ).toBe(body.accessToken);
      // the body form answers in the body
      const viaBody = await post('/auth/refresh', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: next }),
      });
      expect(((await viaBody.json()) as { refreshToken: string }).refreshToken).toMatch(/\.2\./);
    });

    it('answers a reused refresh token with 401 and revokes the session it belonged to', async () => {
      const { refreshToken, accessToken } = await login('cid');
      expect((await post('/auth/refresh', withRefreshCookie(refreshToken))).status).toBe(200);
      const reuse = await post('/auth/refresh', withRefreshCookie(refreshToken));
      await expectProblem(reuse, 401, 'refresh_reused');
      const cleared = reuse.headers.getSetCookie();
      expect(cleared.find((c) => c.startsWith('refresh_token='))).toMatch(
        /^refresh_token=; .*Max-Age=0/,
      );
      expect(cleared.find((c) => c.startsWith('access_token='))).toMatch(
        /^access_token=; .*Max-Age=0/,
      );
      const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await expectProblem(me, 401, 'session_revoked');
      await expectProblem(await post('/auth/refresh'), 401, 'credentials_missing');
    });

    it('logs out one session, then every session of the caller', async () => {
      const one = await login('dee');
      const two = await login('dee');
      const three = await login('dee');
      const out = await post('/auth/logout', withRefreshCookie(one.refreshToken));
      expect(out.status).toBe(204);
      // both cookies cleared: a revoked access cookie left behind would 401 every request
      expect(
        out.headers
          .getSetCookie()
          .map((c) => c.split('=')[0])
          .sort(),
      ).toEqual(['access_token', 'refresh_token']);
      for (const c of out.headers.getSetCookie()) expect(c).toMatch(/Max-Age=0/);
      await expectProblem(
        await post('/auth/refresh', withRefreshCookie(one.refreshToken)),
        401,
        'refresh_invalid',
      );
      const auth = { authorization: `Bearer ${two.accessToken}` };
      const everywhere = await post('/auth/logout-everywhere', { headers: auth });
      expect(await everywhere.json()).toEqual({ revoked: 2 });
      await expectProblem(
        await fetch(`${url}/me`, { headers: { authorization: `Bearer ${three.accessToken}` } }),
        401,
        'session_revoked',
      );
      await expectProblem(await post('/auth/logout-everywhere'), 401, 'credentials_missing');
    });
  });
}

describeSessions('sessions over Express', serveExpress);
describeSessions('sessions over Fastify', serveFastify);
describeSessions('sessions over Next route handlers', serveNext);
describeSessions('sessions over Hono', serveHono);
