import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/ratelimit in the example (not wired yet). */
export async function ratelimitFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'ratelimit' };
}
