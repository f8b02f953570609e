import { getContext } from '@platform/core';
import { fastifyExchange } from '@platform/core/fastify';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { limitRequest } from './http.js';
import type { RateLimiter } from './limiter.js';

type Limiters = RateLimiter | readonly RateLimiter[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Limiters for this route, after the plugin's; `false` exempts the route from all. */
    rateLimit?: Limiters | false;
  }
}

export interface FastifyRateLimitOptions {
  /** Limiters for every route. */
  limiters?: Limiters;
}

const list = (l: Limiters | undefined): RateLimiter[] =>
  l === undefined ? [] : Array.isArray(l) ? [...l] : [l as RateLimiter];

const plugin: FastifyPluginAsync<FastifyRateLimitOptions> = async (app, options) => {
  const global = list(options.limiters);
  app.addHook('onRequest', async (req, reply) => {
    const route = req.routeOptions.config?.rateLimit;
    if (route === false) return;
    const limiters = route ? [...new Set([...global, ...list(route)])] : global;
    if (limiters.length === 0) return;
    const exchange = fastifyExchange(req, reply);
    const denied = await limitRequest(limiters, exchange, req.platformContext ?? getContext());
    if (!denied) return;
    reply.code(denied.status).headers(denied.headers);
    // a Buffer, so Fastify does not append "; charset=utf-8" to the problem media type
    return reply.send(req.method === 'HEAD' ? undefined : Buffer.from(denied.body));
  });
};

/**
 * Fastify plugin that applies limiters in `onRequest`: the plugin's for every route, plus
 * each route's `config.rateLimit` (one limiter or several; `false` exempts the route).
 * Register it once, after `@platform/core/fastify`'s `requestContext`.
 *
 * @example
 * await app.register(rateLimit, { limiters: apiLimiter });
 * app.post('/ai', { config: { rateLimit: aiLimiter } }, handler);
 */
export const rateLimit = fp(plugin, { fastify: '5.x', name: '@platform/ratelimit' });
