import Fastify from 'fastify';
import fastifyMetrics from 'fastify-metrics';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { FASTIFY_METRICS_OPTIONS } from './metrics-options.js';

const start: StartServer = async () => {
  const app = Fastify();
  await app.register(fastifyMetrics, FASTIFY_METRICS_OPTIONS);
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
