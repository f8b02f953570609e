import { readNodeBody } from '@platform/core';
import { fastifyExchange, fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { SecurityHeadersOptions } from './headers.js';
import { type ReportRouteOptions, receiverFor } from './reports.js';
import { createSecurityHeaders } from './security-headers.js';

declare module 'fastify' {
  interface FastifyReply {
    /** This response's CSP nonce (empty when the policy has none). */
    cspNonce: string;
  }
}

const headersPlugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, options) => {
  const engine = createSecurityHeaders(options);
  const secure = (req: FastifyRequest, reply: FastifyReply, next: () => void) => {
    reply.cspNonce = engine.apply(fastifyExchange(req, reply)) ?? '';
    next();
  };
  app.decorateReply('cspNonce', '');
  // onRequest runs for every route and the 404 handler; onError catches responses whose
  // onRequest chain failed before ours ran (an auth hook registered first, say).
  app.addHook('onRequest', secure);
  app.addHook('onError', (req, reply, _err, next) =>
    engine.marker && !reply.hasHeader(engine.marker) ? secure(req, reply, next) : next(),
  );
};

/**
 * Sets the security headers in `onRequest`, so 404s and errors (even of hooks registered
 * before it) get them too; the nonce is `reply.cspNonce`. Bad options reject `register()`.
 * @example await app.register(securityHeaders, { preset: 'api' });
 */
export const securityHeaders = fp(headersPlugin, { fastify: '5.x', name: '@platform/headers' });

export interface FastifyReportOptions extends ReportRouteOptions {
  /** Route path (default `/csp-report`). */
  path?: string;
}

/**
 * Registers the CSP violation receiver route; its bounded raw body parser stays inside it.
 * @example await app.register(cspReports, { path: '/csp-report', onViolation: (v) => app.log.warn(v) });
 */
export const cspReports: FastifyPluginAsync<FastifyReportOptions> = async (app, options) => {
  const { path = '/csp-report', ...route } = options;
  const receiver = receiverFor(route);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req: FastifyRequest, payload: FastifyRequest['raw']) =>
    readNodeBody(payload, receiver.maxBodyBytes),
  );
  app.all(path, fastifyRoute(receiver.handle));
  // a receiver made here is this plugin's: its pending groups are emitted when Fastify closes
  if (!route.receiver) app.addHook('onClose', () => receiver.close());
};

export type { SecurityHeadersOptions };
