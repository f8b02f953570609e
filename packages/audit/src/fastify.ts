import type {} from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditHandler } from './handlers.js';
import { type AuditHttpOptions, createHttpAuditor } from './http.js';
import { writeResult } from './node-response.js';
import type { AuditTrail } from './trail.js';

export interface FastifyAuditOptions extends AuditHttpOptions {
  trail: AuditTrail;
}

const plugin: FastifyPluginAsync<FastifyAuditOptions> = async (app, { trail, ...options }) => {
  const auditor = createHttpAuditor(trail, options);
  // a callback hook: an async one costs a promise per request for nothing to await
  app.addHook('onResponse', (req, reply, done) => {
    const q = req.url.indexOf('?');
    const path = q === -1 ? req.url : req.url.slice(0, q);
    if (!auditor.wants(req.method, path)) return done();
    const ctx = req.platformContext;
    auditor.finish(ctx, {
      method: req.method,
      path,
      route: req.routeOptions.url ?? ctx?.route,
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
 * `onResponse`, with the outcome taken from the status. Register it after
 * `@platform/core/fastify`'s `requestContext`.
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
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const q = req.url.indexOf('?');
    const out = await handler(new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1)));
    if (typeof out.body === 'string') {
      await reply.code(out.status).headers(out.headers).send(out.body);
      return;
    }
    reply.hijack();
    await writeResult(reply.raw, out);
  };
}
