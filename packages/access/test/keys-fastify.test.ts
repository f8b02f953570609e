import { requestContext } from '@platform/core/fastify';
import Fastify from 'fastify';
import { apiKeyAuth, requireScope } from '../src/fastify.js';
import { describeKeyApi, whoami } from './keys-http-support.js';

describeKeyApi('Fastify apiKeyAuth()', async (keys, logger) => {
  const app = Fastify();
  await app.register(requestContext);
  app.addHook('onRequest', apiKeyAuth({ keys, logger }));
  app.get('/api/whoami', async () => whoami());
  app.get('/api/invoices', { onRequest: requireScope('invoices:read') }, async () => []);
  app.post('/api/invoices', { onRequest: requireScope('invoices:write') }, async () => ({}));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
});
