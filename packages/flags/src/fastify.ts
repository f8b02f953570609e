import { getContext } from '@platform/core';
import { fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type FlagAdminOptions, flagAdmin } from './admin.js';
import type { FlagReader, Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { flagsForRequest } from './http.js';
import type { EvaluationContext } from './model.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Flags bound to this request's user, tenant and roles (`flagsOf` types them). */
    flags: FlagReader<DefinitionMap>;
  }
}

export interface FastifyFlagsOptions {
  // biome-ignore lint/suspicious/noExplicitAny: any definition map; `flagsOf` restores the type
  flags: Flags<any>;
  context?: (req: FastifyRequest) => EvaluationContext | undefined;
}

const plugin: FastifyPluginAsync<FastifyFlagsOptions> = async (app, { flags, context }) => {
  app.decorateRequest('flags', null as unknown as FlagReader<DefinitionMap>);
  app.addHook('preHandler', async (req) => {
    req.flags = flagsForRequest(flags, req.platformContext ?? getContext(), context?.(req));
  });
};

/**
 * Puts `request.flags` (bound to the user, tenant and roles) on every request. Register
 * after core's `requestContext` and your auth.
 * @example
 * await app.register(fastifyFlags, { flags });
 */
export const fastifyFlags = fp(plugin, { fastify: '5.x', name: '@platform/flags' });

/** Typed access to `request.flags`. */
export const flagsOf = <D extends DefinitionMap>(req: FastifyRequest, _flags?: Flags<D>) =>
  req.flags as unknown as FlagReader<D>;

/**
 * The admin API (see `flagAdmin`) as a Fastify plugin: `/` and `/*` under its `prefix`.
 * @example
 * await app.register(fastifyFlagAdmin(flags, { authorize }), { prefix: '/admin/flags' });
 */
export function fastifyFlagAdmin<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions = {},
): FastifyPluginAsync {
  const admin = flagAdmin(flags, options);
  return async (app) => {
    const handler = fastifyRoute(admin, { base: app.prefix });
    const method = ['GET', 'POST', 'PUT', 'DELETE'];
    app.route({ method, url: '/', handler });
    app.route({ method, url: '/*', handler });
  };
}
