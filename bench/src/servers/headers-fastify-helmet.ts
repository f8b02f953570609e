import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

const start: StartServer = async () => {
  const app = Fastify();
  await app.register(helmet);
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
