import { requireRole } from '@platform/access/hono';
import { type AuditTrail, auditHandlers, auditTrail } from '@platform/audit';
import { withAudit } from '@platform/audit/next';
import { contextOf, honoRoute, requestContext } from '@platform/core/hono';
import type { SqlClient } from '@platform/core/stores';
import { NotFoundError, ValidationError } from '@platform/errors';
import { errorHandler, notFoundHandler } from '@platform/errors/hono';
import { cspReportRoute, securityHeaders } from '@platform/headers/hono';
import { health, metrics } from '@platform/metrics';
import { metricsMiddleware, metricsRoute, summaryRoute } from '@platform/metrics/hono';
import { rateLimit } from '@platform/ratelimit/hono';
import { createInspector, createLogger, initTracing } from '@platform/tracing';
import { inspectorRoute, tracing } from '@platform/tracing/hono';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { auditStoreOpened, exampleAuditStore } from '../../shared/audit-store.js';
import { mayReadTenant } from '../../shared/demo-auth.js';
import { type DemoLogin, demoLogin } from '../../shared/demo-login.js';
import { exampleHealthChecks } from '../../shared/health.js';
import { exampleLimiters, exampleRateLimitStore } from '../../shared/ratelimit-limiters.js';
import { exampleSlos } from '../../shared/slos.js';
import { whoami } from '../../shared/whoami.js';
import { loginRoutes, useAuthentication } from './access.js';
import { itemStore, newItemSchema } from './items.js';

export interface AppOptions {
  /** Hide error internals from clients (default: NODE_ENV === 'production'). */
  production?: boolean;
  /** The demo's login (server.ts tells it the URL once listening); a fresh one by default. */
  login?: DemoLogin;
}

/**
 * A path with malformed percent-encoding is a 400 problem, as Express and Fastify answer it
 * (Hono itself would route it undecoded, to a 404).
 */
const decodablePath: MiddlewareHandler = async (c, next) => {
  try {
    decodeURIComponent(c.req.path);
  } catch {
    throw new ValidationError('The request path is not valid percent-encoding');
  }
  await next();
};

/** The matched route's template on the request context, for handlers (whoami) and logs. */
const routeTemplate: MiddlewareHandler = async (c, next) => {
  const ctx = contextOf(c);
  if (ctx) ctx.route ??= routePath(c, -1);
  await next();
};

/** Every mutation recorded in the audit trail (outcome from the final response, 429s included). */
function auditRequests(trail: AuditTrail): MiddlewareHandler {
  return async (c, next) => {
    const audited = withAudit(
      async () => {
        await next();
        return c.res;
      },
      trail,
      { captureBody: true },
    );
    c.res = await audited(c.req.raw);
  };
}

/** The request body as JSON: a 400 problem when it does not parse. */
async function jsonOf(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ValidationError('The request body is not valid JSON');
  }
}

/** Tracing: one SERVER span and log line per request, the inspector in development. */
function tracingSetup(production: boolean) {
  const inspector = createInspector({ enabled: !production });
  initTracing({
    serviceName: 'example-hono',
    environment: production ? 'production' : 'development',
    spanProcessors: [inspector.spanProcessor],
  });
  const logger = createLogger({ module: 'http', onLine: inspector.capture });
  return { inspector, middleware: tracing({ logger }) };
}

/** The audit trail (PGlite in memory by default, see shared/audit-store.ts) and its read API. */
async function auditSetup(production: boolean) {
  let database: SqlClient | undefined;
  const store = exampleAuditStore((client) => {
    database = client;
  });
  await auditStoreOpened(store);
  const trail = auditTrail({
    store,
    log: process.env.PLATFORM_AUDIT_LOG === 'off' ? false : undefined,
  });
  const handlers = auditHandlers({ trail, production, authorize: mayReadTenant });
  return { trail, handlers, checks: exampleHealthChecks({ auditDatabase: () => database }) };
}

function itemRoutes(app: Hono): void {
  const items = itemStore();
  app.get('/api/items', (c) => c.json({ items: items.list() }));
  app.post('/api/items', async (c) => {
    const input = newItemSchema.parse(await jsonOf(c));
    return c.json(items.add(input), 201);
  });
  app.get('/api/items/:id', (c) => {
    const item = items.get(c.req.param('id'));
    if (!item) throw new NotFoundError(`Item ${c.req.param('id')} does not exist`);
    return c.json(item);
  });
}

/**
 * The example app, in the Express example's chain order: request context, authentication,
 * tracing, security headers, audit, rate limits, the routes; `notFound` / `onError` last.
 */
export async function buildApp(options: AppOptions = {}): Promise<Hono> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const traces = tracingSetup(production);
  const [audit, limits, login] = await Promise.all([
    auditSetup(production),
    rateLimitSetup(),
    options.login ?? demoLogin(),
  ]);
  // RED metrics per route and tenant, every package's own metrics: GET /metrics
  const slos = exampleSlos();
  const telemetry = metrics({ observers: [slos] });
  const app = new Hono();
  app.use(requestContext());
  useAuthentication(app, login);
  app.use(traces.middleware);
  app.use(metricsMiddleware(telemetry));
  app.use(securityHeaders({ preset: 'api' }));
  app.use(decodablePath);
  app.use(routeTemplate);
  // before the rate limiter: refused writes (429) are audited too
  app.use(auditRequests(audit.trail));
  app.use('/api/*', rateLimit(limits.api));
  app.post('/api/items', rateLimit(limits.itemWrites));

  // liveness, readiness (the audit database, Redis when configured) and the comprehensive status
  const probes = health({ checks: [...audit.checks, ...limits.checks] });
  app.get('/health', honoRoute(probes.live));
  app.get('/health/ready', honoRoute(probes.ready));
  app.get('/health/status', honoRoute(probes.status));
  loginRoutes(app, login);
  app.get('/api/whoami', (c) => c.json(whoami()));
  itemRoutes(app);
  app.get('/api/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.post('/api/csp-report', cspReportRoute({ aggregateMs: 1_000 }));
  app.get('/api/audit/events', honoRoute(audit.handlers.search));
  app.get('/api/audit/export', honoRoute(audit.handlers.export));
  app.get('/api/audit/verify', honoRoute(audit.handlers.verify));
  app.get('/metrics', metricsRoute(telemetry));
  app.use('/admin/metrics/*', requireRole('admin'));
  app.get('/admin/metrics/summary', summaryRoute(telemetry));
  app.get('/admin/metrics/slos', honoRoute(slos.handler));
  app.all('/_dev/inspector/*', inspectorRoute(traces.inspector, { base: '/_dev/inspector' }));

  app.notFound(notFoundHandler({ production }));
  app.onError(errorHandler({ production }));
  return app;
}

/** The two limiters of the other examples (shared/ratelimit-limiters.ts), memory or Redis. */
async function rateLimitSetup() {
  const { store, ready, client } = exampleRateLimitStore(false);
  await ready;
  return { ...exampleLimiters(store), checks: exampleHealthChecks({ redis: client }) };
}
