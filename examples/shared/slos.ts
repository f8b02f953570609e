import { type SloTracker, sloTracker } from '@platform/metrics';

/**
 * The example's service-level objectives, fed by the metrics middleware (an observer of
 * every finished request): the API answers without a 5xx 99.95 % of the time, and 95 % of
 * its requests within 200 ms, over 30 days. Served as JSON at GET /admin/metrics/slos and
 * as `platform_slo_*` series on /metrics (the shipped alert rules burn on them).
 */
export function exampleSlos(): SloTracker {
  const api = (route: string) => route.startsWith('/api/');
  return sloTracker({
    slos: [
      { name: 'api-availability', routes: api, objective: 0.9995, window: '30d' },
      {
        name: 'api-latency',
        routes: api,
        objective: 0.95,
        window: '30d',
        latency: { thresholdSeconds: 0.2 },
      },
    ],
  });
}
