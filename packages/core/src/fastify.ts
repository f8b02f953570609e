import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { getContext, type RequestContext, runRequest } from './context.js';
import type { HttpExchange } from './exchange.js';
import { type Answer, isStreamBody } from './http/answer.js';
import { type NeutralHandler, type NeutralRequest, neutralRequest } from './http/request.js';
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

/** Sends an answer through Fastify's reply (its hooks and serializers still run). */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  const { trailers, trailerNames } = answer;
  if (trailers && trailerNames?.length) {
    let values: Promise<Record<string, string>> | undefined;
    for (const name of trailerNames) {
      reply.trailer(name, async () => {
        values ??= trailers();
        return (await values)[name] ?? '';
      });
    }
  }
  const body = answer.body;
  if (body === undefined) return reply.send();
  if (isStreamBody(body)) return reply.send(Readable.from(body));
  // Bytes, text included: Fastify appends "; charset=utf-8" to the content type of a string
  // body, and the answer must carry the same headers on every framework.
  return reply.send(
    typeof body === 'string'
      ? Buffer.from(body)
      : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  );
}

/** The mount point of a wildcard route (`/admin/flags/*` → `/admin/flags`). */
function baseOf(url: string | undefined): string {
  if (!url) return '';
  const star = url.indexOf('*');
  const fixed = star === -1 ? url : url.slice(0, star);
  return fixed.endsWith('/') ? fixed.slice(0, -1) : star === -1 ? '' : fixed;
}

/** Adapts a Fastify request to the neutral request (its parsed body included). */
export function fastifyRequest(req: FastifyRequest, base?: string): NeutralRequest {
  return neutralRequest({
    method: req.method,
    url: req.url,
    base: base ?? baseOf(req.routeOptions.url),
    header: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    body: req.body,
    remoteAddress: req.raw.socket.remoteAddress,
    context: req.platformContext ?? getContext(),
  });
}

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
