import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import type { StartServer } from '../suite.js';
import { type ChainStats, FLAG, openFeatureClient, STATS_PATH } from './fullstack-common.js';
import { item } from './item.js';
import { FASTIFY_METRICS_OPTIONS, PROM_BUNDLE_OPTIONS } from './metrics-options.js';
import { LIMIT } from './ratelimit-options.js';
import { otelExpress, otelFastify } from './tracing-peer.js';

// required after OpenTelemetry's instrumentations are registered, as the frameworks are
const require = createRequire(import.meta.url);

/**
 * The peer stack on Express 5: OpenTelemetry http + express instrumentations, pino-http,
 * express-prom-bundle, helmet, express-rate-limit (defaults, draft-8 headers), and an
 * OpenFeature in-memory flag check in the route. No audit trail: none of them has one.
 */
export function peerExpress(ratio: number): StartServer {
  return async () => {
    const { exporter, app } = otelExpress(ratio);
    const promBundle = require('express-prom-bundle') as typeof import('express-prom-bundle');
    const helmet = require('helmet') as typeof import('helmet').default;
    const { rateLimit } = require('express-rate-limit') as typeof import('express-rate-limit');
    const flags = await openFeatureClient();
    const stats: ChainStats = { spans: 0, audited: 0, flagChecks: 0 };

    app.use(promBundle(PROM_BUNDLE_OPTIONS));
    app.use(helmet());
    app.use(rateLimit({ limit: LIMIT, standardHeaders: 'draft-8', legacyHeaders: false }));
    app.get('/api/items/:id', async (req, res) => {
      if (await flags.getBooleanValue(FLAG, false)) stats.flagChecks++;
      res.json(item(req.params.id));
    });
    app.post('/api/items/:id', (req, res) => {
      res.json(item(req.params.id));
    });
    app.get(STATS_PATH, (_req, res) => {
      res.json({ ...stats, spans: exporter.count });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  };
}

/**
 * The peer stack on Fastify 5: OpenTelemetry http instrumentation + @fastify/otel, Fastify's
 * logger, fastify-metrics, @fastify/helmet, @fastify/rate-limit (defaults), and an OpenFeature
 * in-memory flag check in the route.
 */
export function peerFastify(ratio: number): StartServer {
  return async () => {
    const { exporter, app } = await otelFastify(ratio);
    const fastifyMetrics = require('fastify-metrics') as typeof import('fastify-metrics').default;
    // without its types: @fastify/helmet and @platform/headers both declare
    // `FastifyReply.cspNonce`, which cannot share a program (see headers-fastify-helmet.ts)
    const helmetModule: string = '@fastify/helmet';
    const helmet = (require(helmetModule) as { default: FastifyPluginAsync }).default;
    const rateLimit =
      require('@fastify/rate-limit') as typeof import('@fastify/rate-limit').default;
    const flags = await openFeatureClient();
    const stats: ChainStats = { spans: 0, audited: 0, flagChecks: 0 };

    await app.register(fastifyMetrics, FASTIFY_METRICS_OPTIONS);
    await app.register(helmet);
    await app.register(rateLimit, { max: LIMIT, timeWindow: 60_000 });
    app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => {
      if (await flags.getBooleanValue(FLAG, false)) stats.flagChecks++;
      return item(req.params.id);
    });
    app.post<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
    app.get(STATS_PATH, async () => ({ ...stats, spans: exporter.count }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    return app.server;
  };
}
