import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CostHandlers } from './handlers.js';

export { type CostHandlers, type CostHandlersOptions, costHandlers } from './handlers.js';

export interface CostApiOptions {
  handlers: CostHandlers;
  /** Default `/api/cost`. */
  prefix?: string;
}

async function plugin(app: FastifyInstance, options: CostApiOptions) {
  const prefix = options.prefix ?? '/api/cost';
  for (const name of ['usage', 'timeseries', 'report', 'budget', 'billing'] as const) {
    app.get(`${prefix}/${name}`, async (req, reply) => {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '');
      const out = await options.handlers[name]({ query });
      return reply
        .code(out.status)
        .headers(out.headers)
        .send(typeof out.body === 'string' ? out.body : Buffer.from(out.body));
    });
  }
}

/**
 * The usage, timeseries, report, budget and billing handlers as `GET <prefix>/<name>` routes.
 *
 * @example
 * await app.register(costApi, { handlers: costHandlers({ control }) });
 */
export const costApi = fp(plugin, { name: '@platform/cost', fastify: '5.x' });
