import { auditFeature } from './audit.js';
import { costFeature } from './cost.js';
import { flagsFeature } from './flags.js';
import { headersFeature } from './headers.js';
import { ratelimitFeature } from './ratelimit.js';
import { tracingFeature } from './tracing.js';
import type { AppFeature, FeatureEnv } from './types.js';

export type { AppFeature, FeatureEnv } from './types.js';

/** The features in chain order: tracing wraps everything after the request context. */
export function loadFeatures(env: FeatureEnv): Promise<AppFeature[]> {
  return Promise.all([
    tracingFeature(env),
    headersFeature(env),
    ratelimitFeature(env),
    auditFeature(env),
    flagsFeature(env),
    costFeature(env),
  ]);
}
