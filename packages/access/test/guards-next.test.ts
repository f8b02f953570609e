import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { getContext } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { withAuthentication, withPermission, withRole } from '../src/next.js';
import { describeGuardedApi } from './guarded-api.js';
import { closing, listening } from './support.js';

// App Router route handlers (Request in, Response out), served on loopback by path so the
// shared suite can call them over HTTP with real Request objects.
describeGuardedApi(
  'Next withAuthentication() + withRole() / withPermission()',
  async ({ auth, onRefused }) => {
    const ok = async () => Response.json({ ok: true });
    const me = async () => {
      const context = getContext();
      return Response.json({ actor: context?.actor, tenantId: context?.tenantId });
    };
    const routes: Record<string, (request: Request) => Promise<Response>> = {
      'GET /me': withRequestContext(withAuthentication(me, auth)),
      'GET /viewer': withRequestContext(withAuthentication(withRole(ok, 'viewer'), auth)),
      'POST /flags': withRequestContext(
        withAuthentication(withPermission(ok, 'flags:write'), auth),
      ),
      'GET /admin': withRequestContext(
        withAuthentication(withRole(ok, 'admin', { onRefused }), auth),
      ),
      'GET /guarded': withRequestContext(withRole(ok, 'viewer')),
    };
    const server = createAdaptorServer({
      fetch: (request: Request) => {
        const route = routes[`${request.method} ${new URL(request.url).pathname}`];
        return route ? route(request) : new Response('not found', { status: 404 });
      },
    }) as Server;
    server.listen(0, '127.0.0.1');
    const url = await listening(server);
    return { url, close: () => closing(server) };
  },
);
