import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/headers in the example (not wired yet). */
export async function headersFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'headers' };
}
