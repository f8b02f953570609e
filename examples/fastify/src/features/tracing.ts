import { PGlite } from '@electric-sql/pglite';
import { getContext, type SqlClient, watchPoolErrors } from '@platform/core';
import {
  createInspector,
  createLogger,
  genAiCall,
  initTracing,
  inspectorHandlers,
  logLevelHandlers,
  traced,
  tracedFetch,
  tracedSql,
} from '@platform/tracing';
import { inspectorRoute, tracing } from '@platform/tracing/fastify';
import pg from 'pg';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/tracing in the example: OTLP export when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (or `..._TRACES_ENDPOINT`) is set, one SERVER span and one log line per request,
 * the development inspector under `/_dev/inspector/*`, and a demo route
 * (`GET /api/orders/:id/summary`) that goes service → repository → DB, an AI
 * provider (`PLATFORM_TRACING_AI_URL`) and an integration (`PLATFORM_TRACING_INTEGRATION_URL`).
 * The DB is PGlite in memory unless `PLATFORM_TRACING_DATABASE_URL` is set.
 */
export async function tracingFeature(env: FeatureEnv): Promise<AppFeature> {
  const inspector = createInspector({ enabled: !env.production });
  initTracing({
    serviceName: 'example-fastify',
    environment: env.production ? 'production' : 'development',
    spanProcessors: [inspector.spanProcessor],
  });
  const logger = createLogger({ module: 'http', onLine: inspector.capture });
  const orders = orderService(logger.child({ module: 'orders' }));
  return {
    name: 'tracing',
    console: {
      logLevels: logLevelHandlers(),
      ...(env.production ? {} : { inspector: inspectorHandlers(inspector) }),
    },
    async before(app) {
      await app.register(tracing, { logger });
    },
    routes(app) {
      app.get<{ Params: { id: string } }>('/api/orders/:id/summary', (req) =>
        orders.summary(Number(req.params.id)),
      );
      app.get('/_dev/inspector/*', inspectorRoute(inspector));
    },
  };
}

/** A pool whose dropped connections are logged once per outage instead of crashing the process. */
function ordersPool(url: string, log: ReturnType<typeof createLogger>): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  watchPoolErrors(pool, (err) => log.warn({ err: err.message }, 'orders database connection lost'));
  return pool;
}

function orderService(log: ReturnType<typeof createLogger>) {
  let db: Promise<{ client: SqlClient; table: string }> | undefined;
  const connect = async () => {
    const url = process.env.PLATFORM_TRACING_DATABASE_URL;
    const schema = process.env.PLATFORM_TRACING_DB_SCHEMA ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error('PLATFORM_TRACING_DB_SCHEMA is not a plain identifier');
    const raw: SqlClient = url ? ordersPool(url, log) : await PGlite.create();
    const table = `${schema}.demo_orders`;
    await raw.query(
      `CREATE TABLE IF NOT EXISTS ${table} (id int PRIMARY KEY, total_cents int NOT NULL)`,
    );
    await raw.query(`INSERT INTO ${table} VALUES (1, 1250), (2, 990) ON CONFLICT DO NOTHING`);
    return {
      client: tracedSql(raw, { namespace: url ? new URL(url).pathname.slice(1) : 'pglite' }),
      table,
    };
  };
  const load = (id: number) =>
    traced(
      'orders.repository.find',
      async () => {
        db ??= connect();
        const { client, table } = await db;
        const { rows } = await client.query(`SELECT id, total_cents FROM ${table} WHERE id = $1`, [
          id,
        ]);
        return rows[0];
      },
      { layer: 'repository' },
    );
  return {
    summary: (id: number) =>
      traced(
        'orders.summary',
        async () => {
          const order = await load(id);
          const ai = process.env.PLATFORM_TRACING_AI_URL;
          const summary = ai
            ? await genAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, async () => {
                const r = await fetch(`${ai}/v1/chat/completions`, { method: 'POST', body: '{}' });
                return (await r.json()) as { choices?: { message?: { content?: string } }[] };
              })
            : undefined;
          const hook = process.env.PLATFORM_TRACING_INTEGRATION_URL;
          const notified = hook
            ? (await tracedFetch(`${hook}/hooks/order?token=demo-secret`)).status
            : undefined;
          log.info({ orderId: id, found: order !== undefined }, 'order summary built');
          return {
            order,
            summary: summary?.choices?.[0]?.message?.content,
            notified,
            traceId: getContext()?.traceId,
          };
        },
        { layer: 'service' },
      ),
  };
}
