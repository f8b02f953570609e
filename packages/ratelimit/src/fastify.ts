import { getContext } from '@platform/core';
import { fastifyExchange } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { applyLimits, type HttpDenial } from './http.js';
import type { RateLimiter } from './limiter.js';
import { isPromise } from './pending.js';

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

type Done = (err?: Error) => void;

const list = (l: Limiters | undefined): RateLimiter[] =>
  l === undefined ? [] : Array.isArray(l) ? [...l] : [l as RateLimiter];

function answer(
  req: FastifyRequest,
  reply: FastifyReply,
  denied: HttpDenial | undefined,
  done: Done,
) {
  if (!denied) return done();
  reply.code(denied.status).headers(denied.headers);
  // a Buffer, so Fastify does not append "; charset=utf-8" to the problem media type
  reply.send(req.method === 'HEAD' ? undefined : Buffer.from(denied.body));
}

const plugin: FastifyPluginAsync<FastifyRateLimitOptions> = async (app, options) => {
  const global = list(options.limiters);
  // A callback hook, not an async one: with the memory store the whole check is
  // synchronous, so a request that passes costs no promise.
  app.addHook('onRequest', (req, reply, done) => {
    const route = req.routeOptions.config?.rateLimit;
    if (route === false) return done();
    const limiters = route ? [...new Set([...global, ...list(route)])] : global;
    if (limiters.length === 0) return done();
    const context = req.platformContext ?? getContext();
    let denied: ReturnType<typeof applyLimits>;
    try {
      denied = applyLimits(limiters, fastifyExchange(req, reply), context, { spent: [] });
    } catch (err) {
      return done(err as Error);
    }
    if (isPromise(denied)) denied.then((d) => answer(req, reply, d, done), done);
    else answer(req, reply, denied, done);
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
