import {
  type DiagnosticsOptions,
  diagnostics,
  jsonAnswer,
  type Lifecycle,
  type LifecycleOptions,
  manage,
  type NeutralHandler,
  type NeutralRequest,
  problemAnswer,
  setMetricsBackend,
} from '@platform/core';
import type { Registry } from 'prom-client';
import { scrape, switchedOff } from './exposition.js';
import type { RequestObserver } from './observer.js';
import { parseMetricsOptions, switchedOffByEnv } from './options.js';
import { RedRecorder } from './red.js';
import { PromRegistry } from './registry.js';
import { RequestSummary, type Summary } from './summary/index.js';

export { OPENMETRICS_TYPE, PROMETHEUS_TYPE, render } from './exposition.js';
export * from './health/index.js';
export type { RequestObserver, RequestSample } from './observer.js';
export { RedRecorder, since, UNMATCHED } from './red.js';
export { DURATION_BUCKETS, PromRegistry, type RegistryOptions } from './registry.js';
export { OTHER } from './series.js';
export * from './slo/index.js';
export {
  RequestSummary,
  type Summary,
  type SummaryOptions,
  type WindowStats,
} from './summary/index.js';

export interface MetricsOptions extends LifecycleOptions, DiagnosticsOptions {
  /** Default true. `false`, or the environment variable PLATFORM_METRICS=off|false|0, switches metrics off: nothing is installed, the middleware does nothing and /metrics answers 404. */
  enabled?: boolean;
  /** Tenant cardinality cap: the first `max` distinct tenants keep their own series, later ones record as `other`. Default 100. */
  tenants?: { max?: number };
  /** Series per instrument before new label sets fold into one `other` series. Default 10,000. */
  maxSeries?: number;
  /**
   * prom-client's process metrics (CPU, memory, event loop lag, GC). Default true, without
   * its three gauges named `*_total`, which `promtool check metrics` flags (each is the sum
   * of a labelled gauge served beside it: `nodejs_active_handles_total` is
   * `sum(nodejs_active_handles)`); `'prom-client-names'` keeps them for dashboards that query them.
   */
  defaultMetrics?: boolean | 'prom-client-names';
  /** Told of every finished request (the SLO tracker is one). */
  observers?: RequestObserver[];
  /** The JSON summary's windows; `false` keeps none. */
  summary?: false | { maxKeys?: number };
  /** Who may read the JSON summary (default: everyone; mount it behind your admin auth or pass this). */
  authorize?: (req: NeutralRequest) => boolean | Promise<boolean>;
}

/** What `metrics()` returns: the handlers to mount, the recorder the bindings use, and the lifecycle. */
export interface PlatformMetrics extends Lifecycle {
  readonly enabled: boolean;
  /** GET /metrics: Prometheus text 0.0.4, or OpenMetrics (with exemplars) when Accept asks for it. */
  readonly handler: NeutralHandler;
  /** GET the JSON summary (rate, 5xx rate, P50/P95/P99 per route and tenant over 1 h and 24 h). */
  readonly summary: NeutralHandler;
  /** The RED recorder the framework bindings call; undefined when switched off. */
  readonly recorder: RedRecorder | undefined;
  /** The prom-client registry, to register metrics of your own; undefined when switched off. */
  readonly registry: Registry | undefined;
  /** The summary as an object (undefined when switched off or `summary: false`). */
  snapshot(): Summary | undefined;
}

const off = async () => switchedOff();
/** The backend this module installed last: `close()` uninstalls only its own. */
let installed: PromRegistry | undefined;

/**
 * Creates the metrics registry, installs it as the process's metrics backend (every
 * @platform package records into it from then on) and returns the /metrics and summary
 * handlers for the framework bindings.
 *
 * @example
 * const telemetry = metrics({ tenants: { max: 50 } });
 * app.use(requestContext());
 * app.use(metricsMiddleware(telemetry));
 * app.get('/metrics', metricsRoute(telemetry));
 */
export function metrics(options: MetricsOptions = {}): PlatformMetrics {
  const opts = parseMetricsOptions(options);
  if (!opts.enabled || switchedOffByEnv()) {
    const done = async () => {};
    return {
      enabled: false,
      handler: off,
      summary: off,
      recorder: undefined,
      registry: undefined,
      snapshot: () => undefined,
      flush: done,
      close: done,
    };
  }
  const diag = diagnostics('metrics', options);
  const backend = new PromRegistry({
    tenantsMax: opts.tenants.max,
    maxSeries: opts.maxSeries,
    defaultMetrics: opts.defaultMetrics,
    onProblem: (code, name, err) =>
      code === 'SERIES_CAP'
        ? diag.warn(code, `${name} reached its series cap; new label sets record as "other"`, {
            metric: name,
          })
        : diag.error(code, err, `${name} could not be registered`, { metric: name }),
  });
  const summary = opts.summary === false ? undefined : new RequestSummary(opts.summary);
  const observers = summary ? [summary, ...opts.observers] : opts.observers;
  const recorder = new RedRecorder(observers, (err) =>
    diag.error('OBSERVER_FAILED', err, 'a request observer threw'),
  );
  setMetricsBackend(backend);
  installed = backend;
  let closed = false;

  const component: PlatformMetrics = {
    enabled: true,
    handler: (req) => scrape(backend.registry, req),
    summary: async (req) => {
      if (req.method !== 'GET')
        return problemAnswer(405, { title: 'Method Not Allowed' }, { allow: 'GET' });
      if (options.authorize && !(await options.authorize(req)))
        return problemAnswer(403, { title: 'Forbidden' });
      if (!summary) return switchedOff();
      return jsonAnswer(200, summary.summary(), { 'cache-control': 'no-store' });
    },
    recorder,
    registry: backend.registry,
    snapshot: () => summary?.summary(),
    flush: async () => {},
    close: async () => {
      if (closed) return;
      closed = true;
      unregister();
      if (installed === backend) {
        installed = undefined;
        setMetricsBackend(undefined);
      }
      backend.registry.clear();
    },
  };
  const unregister = manage('metrics', component, opts);
  return component;
}
