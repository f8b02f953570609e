import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { getContext } from '@platform/core';
import { requestContext } from '@platform/core/hono';
import { Hono } from 'hono';
import { authenticate, requirePermission, requireRole } from '../src/hono.js';
import { describeGuardedApi } from './guarded-api.js';
import { closing, listening } from './support.js';

describeGuardedApi(
  'Hono authenticate() + requireRole() / requirePermission()',
  async ({ auth, onRefused }) => {
    const app = new Hono();
    app.use(requestContext());
    const authed = authenticate(auth);
    app.get('/me', authed, (c) => {
      const context = getContext();
      return c.json({ actor: context?.actor, tenantId: context?.tenantId });
    });
    app.get('/viewer', authed, requireRole('viewer'), (c) => c.json({ ok: true }));
    app.post('/flags', authed, requirePermission('flags:write'), (c) => c.json({ ok: true }));
    app.get('/admin', authed, requireRole('admin', { onRefused }), (c) => c.json({ ok: true }));
    app.get('/guarded', requireRole('viewer'), (c) => c.json({ ok: true }));
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    server.listen(0, '127.0.0.1');
    const url = await listening(server);
    return { url, close: () => closing(server) };
  },
);
