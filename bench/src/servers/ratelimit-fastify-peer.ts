import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { LIMIT } from './ratelimit-options.js';

const start: StartServer = async () => {
  const app = Fastify();
  // enableDraftSpec: RateLimit-* headers (an older draft) instead of X-RateLimit-*
  await app.register(rateLimit, { max: LIMIT, timeWindow: 60_000, enableDraftSpec: true });
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
