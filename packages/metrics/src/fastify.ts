import { fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { PlatformMetrics } from './index.js';

export interface FastifyMetricsOptions {
  metrics: PlatformMetrics;
}

// Fastify times every request itself (reply.elapsedTime, from onRequest on): no state of ours.
const plugin: FastifyPluginAsync<FastifyMetricsOptions> = async (app, options) => {
  const recorder = options.metrics?.recorder;
  if (!recorder) return;
  app.addHook('onRequest', (req, _reply, done) => {
    recorder.start(req.method);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const context = req.platformContext;
    const route = context ? undefined : req.routeOptions.url;
    recorder.finish(req.method, reply.elapsedTime / 1000, reply.statusCode, context, route);
    done();
  });
};

/**
 * Fastify plugin recording the RED metrics of every request. Register it after
 * `@platform/core/fastify`'s `requestContext`. Switched off: registers no hook.
 *
 * @example
 * await app.register(metricsPlugin, { metrics: telemetry });
 * app.get('/metrics', metricsRoute(telemetry));
 */
export const metricsPlugin = fp(plugin, { fastify: '5.x', name: '@platform/metrics' });

/** GET /metrics for Fastify. */
export const metricsRoute = (metrics: PlatformMetrics) => fastifyRoute(metrics.handler);

/** GET the JSON summary for Fastify. */
export const summaryRoute = (metrics: PlatformMetrics) => fastifyRoute(metrics.summary);
