import { getContext } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import Fastify from 'fastify';
import { authenticate, requirePermission, requireRole } from '../src/fastify.js';
import { describeGuardedApi } from './guarded-api.js';

describeGuardedApi(
  'Fastify authenticate() + requireRole() / requirePermission() hooks',
  async ({ auth, onRefused }) => {
    const app = Fastify();
    await app.register(requestContext);
    const authed = authenticate(auth);
    const ok = async () => ({ ok: true });
    app.get('/me', { preHandler: authed }, async () => {
      const context = getContext();
      return { actor: context?.actor, tenantId: context?.tenantId };
    });
    app.get('/viewer', { preHandler: [authed, requireRole('viewer')] }, ok);
    app.post('/flags', { preHandler: [authed, requirePermission('flags:write')] }, ok);
    app.get('/admin', { onRequest: authed, preHandler: requireRole('admin', { onRefused }) }, ok);
    app.get('/guarded', { preHandler: requireRole('viewer') }, ok);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
);
