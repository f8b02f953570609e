import { adminPlugin } from '@platform/admin/fastify';
import { fastifyRoute, requestContext } from '@platform/core/fastify';
import { NotFoundError } from '@platform/errors';
import { errorHandler, frameworkErrors } from '@platform/errors/fastify';
import { health } from '@platform/metrics';
import Fastify, { type FastifyInstance } from 'fastify';
import { ADMIN_CONSOLE, exampleConsole } from '../../shared/admin-console.js';
import { type DemoLogin, demoLogin } from '../../shared/demo-login.js';
import { whoami } from '../../shared/whoami.js';
import { addAuthentication, addLoginRoutes } from './features/access.js';
import { loadFeatures } from './features/index.js';
import { itemStore, newItemSchema } from './items.js';

export interface AppOptions {
  /** Hide error internals from clients (default: NODE_ENV === 'production'). */
  production?: boolean;
  /** The demo's login (server.ts tells it the URL once listening); a fresh one by default. */
  login?: DemoLogin;
}

/**
 * The example app: request context, authentication (a session from the demo's OIDC login)
 * and error handling first, each @platform feature (src/features), then the routes.
 */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const [login, features] = await Promise.all([
    options.login ?? demoLogin(),
    loadFeatures({ production }),
  ]);
  const items = itemStore();
  // frameworkErrors: the errors Fastify answers before any plugin (a URL that does not decode)
  const app = Fastify({ bodyLimit: 16 * 1024, frameworkErrors: frameworkErrors({ production }) });
  await app.register(requestContext);
  addAuthentication(app, login);
  await app.register(errorHandler, { production });
  for (const feature of features) await feature.before?.(app);

  // liveness, readiness (each feature's dependencies) and the comprehensive status
  const probes = health({ checks: features.flatMap((feature) => feature.checks ?? []) });
  app.get('/health', fastifyRoute(probes.live));
  app.get('/health/ready', fastifyRoute(probes.ready));
  app.get('/health/status', fastifyRoute(probes.status));

  addLoginRoutes(app, login);
  app.get('/api/whoami', async () => whoami());

  app.get('/api/items', async () => ({ items: items.list() }));

  app.post('/api/items', async (req, reply) => {
    const input = newItemSchema.parse(req.body);
    return reply.code(201).send(items.add(input));
  });

  app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => {
    const item = items.get(req.params.id);
    if (!item) throw new NotFoundError(`Item ${req.params.id} does not exist`);
    return item;
  });

  app.get('/api/boom', async () => {
    throw new Error('database password is hunter2');
  });

  for (const feature of features) await feature.routes?.(app);

  // one console over every feature's own handlers; its API enforces the roles and CSRF
  const adminUi = exampleConsole(
    features.map((feature) => feature.console),
    probes,
  );
  await app.register(adminPlugin, { prefix: ADMIN_CONSOLE, console: adminUi });
  return app;
}
