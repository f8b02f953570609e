import { auditFeature } from './audit.js';
import { costFeature } from './cost.js';
import { flagsFeature } from './flags.js';
import { headersFeature } from './headers.js';
import { metricsFeature } from './metrics.js';
import { ratelimitFeature } from './ratelimit.js';
import { tracingFeature } from './tracing.js';
import type { AppFeature, FeatureEnv } from './types.js';

export type { AppFeature, FeatureEnv } from './types.js';

/** The features in chain order: tracing wraps everything after the request context. */
export function loadFeatures(env: FeatureEnv): Promise<AppFeature[]> {
  const tracing = tracingFeature(env); // first: the tracer is set up before anything else
  const audit = auditFeature(env);
  return Promise.all([
    tracing,
    // right after tracing: every request is measured, with the trace as its exemplar
    metricsFeature(env),
    headersFeature(env),
    // before the rate limiter: refused writes (429) are audited too, as on every framework
    audit,
    ratelimitFeature(env),
    // flag changes made through the admin API are recorded in the audit trail
    audit.then((a) => flagsFeature(env, a.trail)),
    costFeature(env),
  ]);
}
