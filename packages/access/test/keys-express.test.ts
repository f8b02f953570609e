import { requestContext } from '@platform/core/express';
import express from 'express';
import { apiKeyAuth, requireScope } from '../src/express.js';
import { describeKeyApi, listening, whoami } from './keys-http-support.js';

describeKeyApi('Express apiKeyAuth()', async (keys, logger) => {
  const app = express();
  app.use(requestContext());
  app.use('/api', apiKeyAuth({ keys, logger }));
  app.get('/api/whoami', (_req, res) => void res.json(whoami()));
  app.get('/api/invoices', requireScope('invoices:read'), (_req, res) => void res.json([]));
  app.post('/api/invoices', requireScope('invoices:write'), (_req, res) => void res.json({}));
  const server = app.listen(0, '127.0.0.1');
  return { url: await listening(server), close: () => void server.close() };
});
