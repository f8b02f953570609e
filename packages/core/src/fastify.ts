import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type RequestContext, runRequest } from './context.js';
import { EXCHANGE, fastifyRequest, openFastifyExchange, sendAnswer } from './fastify-exchange.js';
import type { NeutralHandler } from './http/request.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

export { fastifyExchange, fastifyRequest, sendAnswer } from './fastify-exchange.js';

type Next = (err?: Error) => void;

// Fastify 5 runs the later hooks, body parsing and the handler inside the async
// scope `next` is called from (body callbacks included), so entering the context
// here is enough: test/fastify.test.ts proves it for parsed bodies and async hooks.
function enter(req: FastifyRequest, ctx: RequestContext, next: Next): void {
  req.platformContext = ctx;
  runRequest(ctx, next);
}

// Async so that a ConfigError rejects `register()`: avvio does not catch a synchronous throw.
const plugin: FastifyPluginAsync<RequestContextOptions> = async (app, options) => {
  const engine = createRequestContext(options);
  app.decorateRequest('platformContext', undefined);
  // declared up front so setting it per request keeps Fastify's request shape stable
  app.decorateRequest(EXCHANGE, undefined);
  app.addHook('onRequest', (req, reply, next) => {
    const started = engine.begin(openFastifyExchange(req, reply));
    if (started instanceof Promise) started.then((ctx) => enter(req, ctx, next), next);
    else enter(req, started, next);
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

/**
 * Mounts a neutral handler as a Fastify route handler. For a wildcard route the mount point
 * (`/admin/flags` for `/admin/flags/*`) is the request's `base`.
 *
 * @example
 * app.get('/admin/audit/events', fastifyRoute(handlers.search));
 */
export function fastifyRoute(handler: NeutralHandler, options: { base?: string } = {}) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const answer = await handler(fastifyRequest(req, options.base));
    if (answer !== undefined) return sendAnswer(reply, answer);
    reply.callNotFound();
    return reply;
  };
}
