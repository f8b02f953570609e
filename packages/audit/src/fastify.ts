import { fastifyExchange, fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditHandler } from './handlers.js';
import { type AuditHttpOptions, createHttpAuditor } from './http.js';
import type { AuditTrail } from './trail.js';

export interface FastifyAuditOptions extends AuditHttpOptions {
  trail: AuditTrail;
}

const plugin: FastifyPluginAsync<FastifyAuditOptions> = async (app, { trail, ...options }) => {
  const auditor = createHttpAuditor(trail, options);
  // a callback hook: an async one costs a promise per request for nothing to await
  app.addHook('onResponse', (req, reply, done) => {
    const exchange = fastifyExchange(req, reply);
    if (!auditor.wants(req.method, exchange.path)) return done();
    const ctx = req.platformContext;
    auditor.finish(ctx, {
      method: req.method,
      path: exchange.path,
      route: exchange.route ?? ctx?.route,
      statusCode: reply.statusCode,
      aborted: req.raw.destroyed && !reply.raw.writableFinished,
      params: req.params as Record<string, unknown>,
      body: auditor.captureBytes ? req.body : undefined,
    });
    done();
  });
};

/**
 * Fastify plugin that records every mutation (POST, PUT, PATCH, DELETE by default) in
 * `onResponse`, with the outcome taken from the status: refused attempts (a 429 from the
 * rate limiter) included. Register it after `@platform/core/fastify`'s `requestContext`.
 *
 * @example
 * await app.register(auditRequests, { trail: audit, exclude: ['/health'] });
 */
export const auditRequests = fp(plugin, { fastify: '5.x', name: '@platform/audit' });
export type { AuditHttpOptions } from './http.js';

/**
 * A Fastify route handler for one of `auditHandlers()`'s handlers (search, export, verify).
 *
 * @example
 * app.get('/admin/audit/events', auditRoute(handlers.search));
 */
export function auditRoute(handler: AuditHandler) {
  return fastifyRoute(handler);
}
