import { setActor } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

/** POST /api/items/:id behind core's request context and an actor: the baseline for audit. */
const start: StartServer = async () => {
  const app = Fastify();
  await app.register(requestContext);
  app.addHook('onRequest', async () => {
    setActor({ type: 'user', id: 'bench', roles: [] });
  });
  app.post<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
