import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { withRequestContext } from '@platform/core/next';
import { withApiKey } from '../src/next.js';
import { describeKeyApi, listening, whoami } from './keys-http-support.js';

// Next route handlers take a Fetch Request and answer a Response: the handlers below are
// exactly what an app/api/**/route.ts exports, served over loopback by a plain Fetch server.
describeKeyApi('Next withApiKey()', async (keys, logger) => {
  const json = (value: unknown) => Response.json(value);
  const routes: Record<string, (request: Request) => Promise<Response>> = {
    'GET /api/whoami': withRequestContext(withApiKey(async () => json(whoami()), { keys, logger })),
    'GET /api/invoices': withRequestContext(
      withApiKey(async () => json([]), { keys, logger, scopes: ['invoices:read'] }),
    ),
    'POST /api/invoices': withRequestContext(
      withApiKey(async () => json({}), { keys, logger, scopes: ['invoices:write'] }),
    ),
  };
  const fetch = (request: Request) => {
    const route = routes[`${request.method} ${new URL(request.url).pathname}`];
    return route ? route(request) : new Response('not found', { status: 404 });
  };
  const server = createAdaptorServer({ fetch }) as Server;
  server.listen(0, '127.0.0.1');
  return { url: await listening(server), close: () => void server.close() };
});
