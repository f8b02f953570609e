import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/tracing in the example (not wired yet). */
export async function tracingFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'tracing' };
}
