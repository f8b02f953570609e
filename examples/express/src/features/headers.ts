import { cspReportHandler, securityHeaders } from '@platform/headers/express';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/headers in the example: every response (routes, 404s, errors) carries the
 * `api` preset, since the app serves JSON only. CSP violation reports are received at
 * POST /api/csp-report and logged as JSON lines ("csp violation"), repeated ones summed up
 * with a count.
 */
export async function headersFeature(_env: FeatureEnv): Promise<AppFeature> {
  return {
    name: 'headers',
    before(app) {
      app.use(securityHeaders({ preset: 'api' }));
    },
    routes(app) {
      // repeated violations are summed up into one line per second (the default is 10 s)
      app.post('/api/csp-report', cspReportHandler({ aggregateMs: 1_000 }));
    },
  };
}
