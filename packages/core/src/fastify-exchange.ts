/** Fastify's request/reply as core's neutral exchange, request and answer. */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getContext, type RequestContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { type Answer, isStreamBody } from './http/answer.js';
import { firstHeader, type NeutralRequest, neutralRequest, pathOf } from './http/request.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The @platform request context (also reachable through `getContext()`). */
    platformContext?: RequestContext;
  }
}

export const EXCHANGE = Symbol('platform.exchange');
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
    this.method = req.method;
    this.path = pathOf(req.url);
    this.route = req.routeOptions.url;
    this.remoteAddress = req.raw.socket.remoteAddress;
  }

  header(name: string): string | undefined {
    return firstHeader(this.#req.headers, name);
  }

  setHeader(name: string, value: string): void {
    if (!this.#reply.sent) this.#reply.header(name, value);
  }
}

/** Opens the exchange for this request: every hook after `requestContext` shares it. */
export function openFastifyExchange(req: FastifyRequest, reply: FastifyReply): HttpExchange {
  const exchange = new FastifyExchange(req, reply);
  (req as Exchanged)[EXCHANGE] = exchange;
  return exchange;
}

/** Sends an answer through Fastify's reply (its hooks and serializers still run). */
export function sendAnswer(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  if (answer.cookies?.length) reply.header('set-cookie', [...answer.cookies]);
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
    header: (name) => firstHeader(req.headers, name),
    body: req.body,
    remoteAddress: req.raw.socket.remoteAddress,
    context: req.platformContext ?? getContext(),
  });
}
