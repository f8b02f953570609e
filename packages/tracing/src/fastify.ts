import { fastifyExchange, fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { enterContext } from './context-manager.js';
import { inspectorHandlers, logLevelHandlers } from './handlers.js';
import type { HttpTelemetryOptions } from './http.js';
import { activeRequest, createHttpTelemetry, socketServer } from './http.js';
import type { Inspector } from './inspector.js';
import type { LogLevels } from './log-levels.js';

const plugin: FastifyPluginAsync<HttpTelemetryOptions> = async (app, options) => {
  const telemetry = createHttpTelemetry(options);
  app.addHook('onRequest', (req, reply, done) => {
    const active = telemetry.start(fastifyExchange(req, reply), socketServer(req.raw.socket));
    activeRequest.set(req.platformContext, active);
    enterContext(active.context, done);
  });
  app.addHook('onError', (req, _reply, error, done) => {
    activeRequest.get(req.platformContext)?.fail(error);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    activeRequest.get(req.platformContext)?.end(reply.statusCode);
    done();
  });
};

/**
 * Fastify plugin: one SERVER span per request (and the request log line when a logger
 * is given). Register it after `@platform/core`'s `requestContext`.
 *
 * @example
 * await app.register(requestContext);
 * await app.register(tracing, { logger: createLogger() });
 */
export const tracing = fp(plugin, {
  fastify: '5.x',
  name: '@platform/tracing',
  dependencies: ['@platform/core'],
});

/** Runtime log levels (see `logLevelHandlers`): `app.all('/admin/log-levels/*', logLevelRoute())`. */
export function logLevelRoute(levels?: LogLevels, options?: { base?: string }) {
  return fastifyRoute(logLevelHandlers(levels).handle, options);
}

/** The development inspector (see `inspectorHandlers`): `app.get('/_dev/inspector/*', inspectorRoute(inspector))`. */
export function inspectorRoute(inspector: Inspector, options?: { base?: string }) {
  return fastifyRoute(inspectorHandlers(inspector).handle, options);
}

export type { HttpTelemetryOptions as TracingOptions };
