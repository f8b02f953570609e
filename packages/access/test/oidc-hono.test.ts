import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { oidcRoutes } from '../src/hono.js';
import { loginSuite } from './support/login-suite.js';

loginSuite('Hono', async (auth) => {
  const app = new Hono();
  app.get('/auth/login', (c) => oidcRoutes(auth()).login(c));
  app.get('/auth/callback', (c) => oidcRoutes(auth()).callback(c));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
