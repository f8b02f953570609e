import { rateLimit } from '@platform/ratelimit/fastify';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { benchLimiter } from './ratelimit-options.js';

const start: StartServer = async () => {
  const app = Fastify();
  await app.register(rateLimit, { limiters: benchLimiter() });
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
