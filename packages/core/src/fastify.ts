import { AsyncResource } from 'node:async_hooks';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type RequestContext, runWithContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The @platform request context (also reachable through `getContext()`). */
    platformContext?: RequestContext;
  }
}

/** Adapts a Fastify request/reply pair to the neutral exchange. */
export function fastifyExchange(req: FastifyRequest, reply: FastifyReply): HttpExchange {
  const q = req.url.indexOf('?');
  return {
    method: req.method,
    path: q === -1 ? req.url : req.url.slice(0, q),
    route: req.routeOptions.url,
    remoteAddress: req.raw.socket.remoteAddress,
    header(name) {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    setHeader(name, value) {
      if (!reply.sent) reply.header(name, value);
    },
  };
}

const scope = Symbol('platform.asyncScope');
type Scoped = FastifyRequest & { [scope]?: AsyncResource };

// Async so that a ConfigError rejects `register()`: avvio does not catch a synchronous throw.
const plugin: FastifyPluginAsync<RequestContextOptions> = async (app, options) => {
  const engine = createRequestContext(options);
  app.decorateRequest('platformContext', undefined);
  app.addHook('onRequest', (req, reply, next) => {
    const enter = (ctx: RequestContext) => {
      req.platformContext = ctx;
      runWithContext(ctx, () => {
        // Fastify resumes later hooks from the body stream's callbacks, outside our
        // async scope; the resource lets preValidation re-enter it.
        const resource = new AsyncResource('platform.request');
        (req as Scoped)[scope] = resource;
        resource.runInAsyncScope(next, req.raw);
      });
    };
    const started = engine.begin(fastifyExchange(req, reply));
    if (started instanceof Promise) started.then(enter, next);
    else enter(started);
  });
  app.addHook('preValidation', (req, _reply, next) => {
    const resource = (req as Scoped)[scope];
    if (resource) resource.runInAsyncScope(next, req.raw);
    else next();
  });
};

/**
 * Fastify plugin that opens the request context in `onRequest` for every route
 * (request id, client IP, tenant, route template).
 *
 * @example
 * await app.register(requestContext, { trustProxy: 1 });
 */
export const requestContext = fp(plugin, { fastify: '5.x', name: '@platform/core' });

export type { RequestContextOptions };
