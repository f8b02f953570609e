import { fastifyExchange } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { NotFoundError } from './errors.js';
import { stringifyProblem } from './problem.js';
import { createErrorResponder, type ErrorResponderOptions } from './responder.js';

export interface FastifyErrorHandlerOptions extends ErrorResponderOptions {
  /** Also answer unmatched routes with a 404 problem (`setNotFoundHandler`). Default `true`. */
  notFound?: boolean;
}

const plugin: FastifyPluginAsync<FastifyErrorHandlerOptions> = async (app, options) => {
  const { notFound = true, ...rest } = options;
  const respond = createErrorResponder(rest);
  const send = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, headers, body } = respond(
      err,
      fastifyExchange(req, reply),
      req.platformContext,
    );
    // a Buffer, so Fastify does not append "; charset=utf-8" to the problem media type
    return reply
      .code(status)
      .headers(headers)
      .send(Buffer.from(stringifyProblem(body)));
  };
  app.setErrorHandler((err, req, reply) => send(err, req, reply));
  if (notFound) app.setNotFoundHandler((req, reply) => send(new NotFoundError(), req, reply));
};

/**
 * Fastify plugin that answers every error (and, by default, every unmatched route) with an
 * RFC 9457 problem body carrying the request id. Register it once, at the root.
 *
 * @example
 * await app.register(requestContext);
 * await app.register(errorHandler, { production: true });
 */
export const errorHandler = fp(plugin, { fastify: '5.x', name: '@platform/errors' });

export type { ErrorResponderOptions };
