import { createLogger, initTracing } from '@platform/tracing';
import { withTracing } from '@platform/tracing/next';
import type { RouteFeature } from './types';

// instrumentation.ts starts tracing first in `next start`; this call returns that
// same handle (initTracing is idempotent across Next's bundles).
initTracing({ serviceName: 'example-next', ignoreScopes: ['next.js'] });
const logger = createLogger({ module: 'http' });

/**
 * @platform/tracing in the example: one SERVER span named after the route template
 * and one log line per request, with the trace id in the request context. Next's own
 * spans (scope `next.js`) are dropped, so each request is traced once.
 */
export const tracing: RouteFeature = (handler, { route }) =>
  withTracing(handler, { route, logger });
