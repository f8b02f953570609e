import { fastifyRoute } from '@platform/core/fastify';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { COST_ENDPOINTS } from './api.js';
import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

export interface CostApiOptions {
  handlers: CostHandlers;
  /** Default `/api/cost`. */
  prefix?: string;
}

async function plugin(app: FastifyInstance, options: CostApiOptions) {
  const prefix = options.prefix ?? '/api/cost';
  for (const name of COST_ENDPOINTS) {
    app.get(`${prefix}/${name}`, fastifyRoute(options.handlers[name]));
  }
}

/**
 * The usage, timeseries, report, budget and billing handlers as `GET <prefix>/<name>` routes.
 *
 * @example
 * await app.register(costApi, { handlers: costHandlers({ control }) });
 */
export const costApi = fp(plugin, { name: '@platform/cost', fastify: '5.x' });
