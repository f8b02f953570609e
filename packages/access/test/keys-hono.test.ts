import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { requestContext } from '@platform/core/hono';
import { Hono } from 'hono';
import { apiKeyAuth, requireScope } from '../src/hono.js';
import { describeKeyApi, listening, whoami } from './keys-http-support.js';

describeKeyApi('Hono apiKeyAuth()', async (keys, logger) => {
  const app = new Hono();
  app.use(requestContext());
  app.use('/api/*', apiKeyAuth({ keys, logger }));
  app.get('/api/whoami', (c) => c.json(whoami()));
  app.get('/api/invoices', requireScope('invoices:read'), (c) => c.json([]));
  app.post('/api/invoices', requireScope('invoices:write'), (c) => c.json({}));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.listen(0, '127.0.0.1');
  return { url: await listening(server), close: () => void server.close() };
});
