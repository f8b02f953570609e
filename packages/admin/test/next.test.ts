import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { adminRoute } from '../src/next.js';
import { roleSuite } from './roles.js';

// The route handlers of `app/admin/[[...path]]/route.ts`, called with the real `Request`
// objects of a Fetch server (what Next's runtime hands them).
roleSuite('next', async (s) => {
  const handlers = adminRoute(s.console, { base: '/admin' });
  const server = serve({
    fetch: (request: Request) => handlers[request.method as keyof typeof handlers](request),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
});
