import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { readNodeBody } from './body.js';
import type { SecurityHeadersOptions } from './headers.js';
import {
  createReportReceiver,
  type ReportReceiver,
  type ReportReceiverOptions,
} from './reports.js';
import { createSecurityHeaders } from './security-headers.js';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's CSP nonce (empty when the policy has none). */
    cspNonce: string;
  }
}

/** Builds from options, handing a ConfigError to Fastify instead of throwing past it. */
function build<T>(make: () => T, done: (err?: Error) => void): T | undefined {
  try {
    return make();
  } catch (err) {
    done(err as Error);
    return undefined;
  }
}

const headersPlugin: FastifyPluginCallback<SecurityHeadersOptions> = (app, options, done) => {
  const engine = build(() => createSecurityHeaders(options), done);
  if (!engine) return;
  app.decorateReply('cspNonce', '');
  const apply = (reply: FastifyReply) => {
    const nonce = engine.apply({ setHeader: (name, value) => reply.header(name, value) });
    if (nonce !== undefined) reply.cspNonce = nonce;
  };
  // onRequest runs for every route and the 404 handler; onError catches responses whose
  // onRequest chain failed before ours ran (an auth hook registered first, say).
  const sentinel = engine.csp?.header ?? engine.headers[0]?.[0];
  app.addHook('onRequest', (_req, reply, next) => {
    apply(reply);
    next();
  });
  app.addHook('onError', (_req, reply, _err, next) => {
    if (sentinel && !reply.hasHeader(sentinel)) apply(reply);
    next();
  });
  done();
};

/**
 * Fastify plugin that sets the security headers in `onRequest`, so 404 and error
 * responses get them as well (including errors thrown by hooks registered before it);
 * the CSP nonce is on `reply.cspNonce`.
 *
 * @example
 * await app.register(securityHeaders, { preset: 'api' });
 */
export const securityHeaders = fp(headersPlugin, { fastify: '5.x', name: '@platform/headers' });

export interface FastifyReportOptions extends ReportReceiverOptions {
  /** Route path (default `/csp-report`). */
  path?: string;
  /** Share a receiver (and its counters) instead of creating one. */
  receiver?: ReportReceiver;
}

/**
 * Registers the CSP violation receiver route. Encapsulated: its body parsers (bounded
 * raw reads for the two report media types) do not leak into the rest of the app.
 *
 * @example
 * await app.register(cspReports, { path: '/csp-report', onViolation: (v) => app.log.warn(v) });
 */
export const cspReports: FastifyPluginCallback<FastifyReportOptions> = (app, options, done) => {
  const { path = '/csp-report', receiver: shared, ...rest } = options;
  const receiver = build(() => shared ?? createReportReceiver(rest), done);
  if (!receiver) return;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, next) => {
    readNodeBody(payload, receiver.maxBodyBytes).then((body) => next(null, body), next);
  });
  app.all(path, async (req, reply) => {
    const r = await receiver.handle({
      method: req.method,
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length'],
      clientIp: req.socket.remoteAddress,
      read: () => req.body as Uint8Array | undefined,
    });
    return reply.code(r.status).headers(r.headers).send(r.body);
  });
  // a receiver made here is this plugin's: its pending groups are emitted when Fastify closes
  if (!shared)
    app.addHook('onClose', (_app, next) => {
      receiver.close();
      next();
    });
  done();
};

export type { SecurityHeadersOptions };
