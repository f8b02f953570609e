import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { adminHandler } from '../src/hono.js';
import { roleSuite } from './roles.js';

roleSuite('hono', async (s) => {
  const app = new Hono();
  const route = adminHandler(s.console, { base: '/admin' });
  app.all('/admin', route);
  app.all('/admin/*', route);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
});
