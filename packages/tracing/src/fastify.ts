import { fastifyExchange } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { enterContext } from './context-manager.js';
import { type ActiveRequest, createHttpTelemetry, type HttpTelemetryOptions } from './http.js';

const ACTIVE = Symbol('platform.tracing.request');
type Traced = FastifyRequest & { [ACTIVE]?: ActiveRequest };

const plugin: FastifyPluginAsync<HttpTelemetryOptions> = async (app, options) => {
  const telemetry = createHttpTelemetry(options);
  app.addHook('onRequest', (req, reply, done) => {
    const socket = req.raw.socket as typeof req.raw.socket & { encrypted?: boolean };
    const active = telemetry.start(fastifyExchange(req, reply), {
      scheme: socket.encrypted ? 'https' : 'http',
      port: socket.localPort,
    });
    (req as Traced)[ACTIVE] = active;
    enterContext(active.context, done);
  });
  app.addHook('onError', (req, _reply, error, done) => {
    (req as Traced)[ACTIVE]?.fail(error);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    (req as Traced)[ACTIVE]?.end(reply.statusCode);
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

export type { HttpTelemetryOptions as TracingOptions };
