import { rateLimit } from '@platform/ratelimit/fastify';
import { exampleHealthChecks } from '../../../shared/health.js';
import { exampleLimiters, exampleRateLimitStore } from '../../../shared/ratelimit-limiters.js';
import type { AppFeature, FeatureEnv } from './types.js';

/**
 * @platform/ratelimit in the example: a per-user limit (per IP when anonymous) on /api/*,
 * and a tighter one on POST /api/items. The app's routes are declared in app.ts, so an
 * onRoute hook gives each one its `config.rateLimit`. See shared/ratelimit-limiters.ts for the
 * environment.
 */
export async function ratelimitFeature(_env: FeatureEnv): Promise<AppFeature> {
  const { store, ready, client } = exampleRateLimitStore(false);
  await ready;
  const { api, itemWrites } = exampleLimiters(store);
  return {
    name: 'ratelimit',
    checks: exampleHealthChecks({ redis: client }),
    async before(app) {
      await app.register(rateLimit);
      app.addHook('onRoute', (route) => {
        if (!route.url.startsWith('/api/') || route.config?.rateLimit !== undefined) return;
        const methods = [route.method].flat();
        const limiters =
          route.url === '/api/items' && methods.includes('POST') ? [api, itemWrites] : api;
        route.config = { ...route.config, rateLimit: limiters };
      });
    },
  };
}
