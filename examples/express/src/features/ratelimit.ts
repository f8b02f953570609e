import { rateLimit } from '@platform/ratelimit/express';
import { exampleHealthChecks } from '../../../shared/health.js';
import { exampleLimiters, exampleRateLimitStore } from '../../../shared/ratelimit-limiters.js';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/ratelimit in the example: a per-user limit (per IP when anonymous) on /api/*,
 * and a tighter one on POST /api/items. See shared/ratelimit-limiters.ts for the environment.
 */
export async function ratelimitFeature(_env: FeatureEnv): Promise<AppFeature> {
  const { store, ready, client } = exampleRateLimitStore(false);
  await ready;
  const { api, itemWrites } = exampleLimiters(store);
  return {
    name: 'ratelimit',
    checks: exampleHealthChecks({ redis: client }),
    before(app) {
      app.use('/api', rateLimit(api));
      app.post('/api/items', rateLimit(itemWrites));
    },
  };
}
