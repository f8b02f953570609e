import { type NeutralHandler, subpath } from '@platform/core';
import type { CostHandlers } from './handlers.js';

/** The endpoint names, each served as `GET <prefix>/<name>`. */
export const COST_ENDPOINTS = ['usage', 'timeseries', 'report', 'budget', 'billing'] as const;

const names: ReadonlySet<string> = new Set(COST_ENDPOINTS);

function isEndpoint(name: string): name is keyof CostHandlers {
  return names.has(name);
}

/**
 * All five cost handlers as one neutral handler answering `GET <prefix>/<name>` (below its
 * mount point) and leaving every other request to the next handler. Errors are thrown for
 * the framework's error handler (problem+json with @platform/errors).
 *
 * @example
 * app.use(expressRoute(costApiHandler(costHandlers({ control }), { prefix: '/api/cost' })));
 */
export function costApiHandler(
  handlers: CostHandlers,
  options: { prefix?: string } = {},
): NeutralHandler {
  const prefix = `${options.prefix ?? '/api/cost'}/`;
  return (req) => {
    if (req.method !== 'GET') return undefined;
    const path = `/${subpath(req)}`;
    if (!path.startsWith(prefix)) return undefined;
    const name = path.slice(prefix.length);
    return isEndpoint(name) ? handlers[name](req) : undefined;
  };
}
