import { processSingleton } from '@platform/core';
import { metrics } from '@platform/metrics';
import { withMetrics } from '@platform/metrics/next';
import { exampleSlos } from '../../../shared/slos';
import type { RouteFeature } from './types';

/**
 * The one metrics registry of the process. Next bundles each route separately, so the
 * registry is kept process-wide: every route records into it and app/metrics serves it.
 * PLATFORM_METRICS=off switches it off.
 */
export const slos = processSingleton('@platform/example-next.slos', 1, exampleSlos);
export const telemetry = processSingleton('@platform/example-next.metrics', 1, () =>
  metrics({ observers: [slos] }),
);

/** @platform/metrics in the example: RED metrics of every route handler, by route template and tenant. */
export const metricsFeature: RouteFeature = (handler, info) =>
  withMetrics(handler, telemetry, { route: info.route });
