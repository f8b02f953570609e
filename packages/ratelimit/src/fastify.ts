import { type Answer, getContext } from '@platform/core';
import { fastifyExchange, sendAnswer } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { applyLimits, type Limiters, limiterList, routeLimiters } from './http.js';
import { isPromise } from './pending.js';

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

function proceed(reply: FastifyReply, done: Done, refusal: Answer | undefined): void {
  if (refusal) sendAnswer(reply, refusal);
  else done();
}

const plugin: FastifyPluginAsync<FastifyRateLimitOptions> = async (app, options) => {
  const global = limiterList(options.limiters);
  // A callback hook, not an async one: with the memory store the whole check is
  // synchronous, so a request that passes costs no promise.
  app.addHook('onRequest', (req, reply, done) => {
    const limiters = routeLimiters(global, req.routeOptions.config?.rateLimit);
    if (limiters.length === 0) return done();
    const context = req.platformContext ?? getContext();
    let refusal: ReturnType<typeof applyLimits>;
    try {
      refusal = applyLimits(limiters, fastifyExchange(req, reply), context);
    } catch (err) {
      return done(err as Error);
    }
    if (isPromise(refusal)) refusal.then((r) => proceed(reply, done, r), done);
    else proceed(reply, done, refusal);
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
