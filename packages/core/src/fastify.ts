import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type RequestContext, runRequest } from './context.js';
import type { HttpExchange } from './exchange.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The @platform request context (also reachable through `getContext()`). */
    platformContext?: RequestContext;
  }
}

const EXCHANGE = Symbol('platform.exchange');
type Exchanged = FastifyRequest & { [EXCHANGE]?: FastifyExchange };

/**
 * Adapts a Fastify request/reply pair to the neutral exchange: the one `requestContext`
 * made for this request in `onRequest`, so the hooks after it share one object.
 */
export function fastifyExchange(req: FastifyRequest, reply: FastifyReply): HttpExchange {
  return (req as Exchanged)[EXCHANGE] ?? new FastifyExchange(req, reply);
}

/** A class rather than an object literal of closures: one allocation per request. */
class FastifyExchange implements HttpExchange {
  readonly method: string;
  readonly path: string;
  readonly route: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly #req: FastifyRequest;
  readonly #reply: FastifyReply;

  constructor(req: FastifyRequest, reply: FastifyReply) {
    this.#req = req;
    this.#reply = reply;
    const q = req.url.indexOf('?');
    this.method = req.method;
    this.path = q === -1 ? req.url : req.url.slice(0, q);
    this.route = req.routeOptions.url;
    this.remoteAddress = req.raw.socket.remoteAddress;
  }

  header(name: string): string | undefined {
    const v = this.#req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  setHeader(name: string, value: string): void {
    if (!this.#reply.sent) this.#reply.header(name, value);
  }
}

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
    const exchange = new FastifyExchange(req, reply);
    (req as Exchanged)[EXCHANGE] = exchange;
    const started = engine.begin(exchange);
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
