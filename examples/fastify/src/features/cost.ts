import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/cost in the example (not wired yet). */
export async function costFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'cost' };
}
