import Fastify, { type FastifyPluginAsync } from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';

// Loaded without its types: @fastify/helmet and @platform/headers both declare
// `FastifyReply.cspNonce` (an object there, a string here), which cannot share a program.
const helmetModule: string = '@fastify/helmet';

const start: StartServer = async () => {
  const { default: helmet } = (await import(helmetModule)) as { default: FastifyPluginAsync };
  const app = Fastify();
  await app.register(helmet);
  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app.server;
};

export default start;
