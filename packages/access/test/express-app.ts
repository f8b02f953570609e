import { getContext } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express, { type RequestHandler } from 'express';
import { authenticate, requirePermission, requireRole } from '../src/express.js';
import { closing, listening, type Serve } from './support.js';

const ok: RequestHandler = (_req, res) => {
  res.json({ ok: true });
};

/** The shared guarded app (see AppSpec) on Express 5. */
export const serveExpress: Serve = async ({ auth, onRefused }) => {
  const app = express();
  app.use(requestContext());
  const authed = authenticate(auth);
  app.get('/me', authed, (_req, res) => {
    const context = getContext();
    res.json({ actor: context?.actor, tenantId: context?.tenantId });
  });
  app.get('/viewer', authed, requireRole('viewer'), ok);
  app.post('/flags', authed, requirePermission('flags:write'), ok);
  app.get('/admin', authed, requireRole('admin', { onRefused }), ok);
  app.get('/guarded', requireRole('viewer'), ok);
  const server = app.listen(0, '127.0.0.1');
  const url = await listening(server);
  return { url, close: () => closing(server) };
};
