import type { AppFeature, FeatureEnv } from './types.js';

/** @platform/audit in the example (not wired yet). */
export async function auditFeature(_env: FeatureEnv): Promise<AppFeature> {
  return { name: 'audit' };
}
