import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/flags in the example (not wired yet). */
export async function flagsFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'flags' };
}
