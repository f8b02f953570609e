import { auditRequests } from '@platform/audit/fastify';
import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { benchTrail } from './audit-common.js';
import { item } from './item.js';

/** The baseline plus @platform/audit's plugin: one event per POST. */
const start: StartServer = async () => {
  const app = Fastify();
  await app.register(requestContext);
  app.addHook('onRequest', async () => {
    setActor({ type: 'user', id: 'bench', roles: [] });
  });
  await app.register(auditRequests, { trail: benchTrail() });
  app.post<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
