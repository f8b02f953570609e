import { fastifyRoute } from '@platform/core/fastify';
import type { FastifyPluginAsync } from 'fastify';
import type { AdminConsole } from './console/index.js';

export interface FastifyAdminOptions {
  console: AdminConsole;
}

/**
 * The console as a Fastify plugin: register it with a `prefix`, its mount point (read back
 * from the plugin's own context). Encapsulated on purpose (no fastify-plugin): its routes live
 * only under that prefix.
 *
 * @example
 * await app.register(adminPlugin, { prefix: '/admin', console: adminConsole({ authorize, flags: flagAdmin(flags) }) });
 */
export const adminPlugin: FastifyPluginAsync<FastifyAdminOptions> = async (app, options) => {
  const route = fastifyRoute(options.console.handler, { base: app.prefix });
  app.all('/', route);
  app.all('/*', route);
};
