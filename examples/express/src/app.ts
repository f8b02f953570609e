import { adminRouter } from '@platform/admin/express';
import { expressRoute, requestContext } from '@platform/core/express';
import { NotFoundError } from '@platform/errors';
import { errorHandler, notFoundHandler } from '@platform/errors/express';
import { health } from '@platform/metrics';
import express, { type Express } from 'express';
import { ADMIN_CONSOLE, exampleConsole } from '../../shared/admin-console.js';
import { type DemoLogin, demoLogin } from '../../shared/demo-login.js';
import { whoami } from '../../shared/whoami.js';
import { mountAuthentication, mountLoginRoutes } from './features/access.js';
import { loadFeatures } from './features/index.js';
import { itemStore, newItemSchema } from './items.js';

export interface AppOptions {
  /** Hide error internals from clients (default: NODE_ENV === 'production'). */
  production?: boolean;
  /** The demo's login (server.ts tells it the URL once listening); a fresh one by default. */
  login?: DemoLogin;
}

/**
 * The example app: request context first, authentication (a session from the demo's OIDC
 * login), each @platform feature (src/features), the routes, then the not-found and error
 * handlers last.
 */
export async function buildApp(options: AppOptions = {}): Promise<Express> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const [login, features] = await Promise.all([
    options.login ?? demoLogin(),
    loadFeatures({ production }),
  ]);
  const items = itemStore();
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext());
  mountAuthentication(app, login);
  for (const feature of features) feature.before?.(app);
  app.use(express.json({ limit: '16kb' }));
  mountLoginRoutes(app, login);

  // liveness, readiness (each feature's dependencies) and the comprehensive status
  const probes = health({ checks: features.flatMap((feature) => feature.checks ?? []) });
  app.get('/health', expressRoute(probes.live));
  app.get('/health/ready', expressRoute(probes.ready));
  app.get('/health/status', expressRoute(probes.status));

  app.get('/api/whoami', (_req, res) => {
    res.json(whoami());
  });

  app.get('/api/items', (_req, res) => {
    res.json({ items: items.list() });
  });

  app.post('/api/items', (req, res) => {
    const input = newItemSchema.parse(req.body);
    res.status(201).json(items.add(input));
  });

  app.get('/api/items/:id', (req, res) => {
    const item = items.get(req.params.id);
    if (!item) throw new NotFoundError(`Item ${req.params.id} does not exist`);
    res.json(item);
  });

  app.get('/api/boom', () => {
    throw new Error('database password is hunter2');
  });

  for (const feature of features) feature.routes?.(app);

  // one console over every feature's own handlers; its API enforces the roles and CSRF
  const adminUi = exampleConsole(
    features.map((feature) => feature.console),
    probes,
  );
  app.use(ADMIN_CONSOLE, adminRouter(adminUi));
  for (const feature of features) feature.errors?.(app);
  app.use(notFoundHandler());
  app.use(errorHandler({ production }));
  return app;
}
