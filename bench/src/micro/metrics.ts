import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { RequestContext } from '@platform/core';
import { DURATION_BUCKETS, metrics, type PlatformMetrics } from '@platform/metrics';
import { Counter, Histogram, Registry } from 'prom-client';
import { defineMicroSuite } from '../micro.js';

// What one request costs to record: a duration histogram and a request counter, each with
// method, route, status and tenant attributes, over 20 routes x 10 tenants. prom-client and
// the OpenTelemetry metrics SDK (with the same buckets, cumulative, as its Prometheus exporter
// would read it) directly, and ours (the RED recorder through core's seam, caps included).
const ROUTES = Array.from({ length: 20 }, (_, i) => `/api/r${i}/:id`);
const TENANTS = Array.from({ length: 10 }, (_, i) => `tenant-${i}`);
let n = 0;
const next = () => {
  n = (n + 1) % 200;
  return {
    route: ROUTES[n % 20] as string,
    tenant: TENANTS[n % 10] as string,
    seconds: 0.001 * (n % 50),
  };
};

function promClient() {
  const registry = new Registry();
  const labelNames = ['http_request_method', 'http_route', 'http_response_status_code', 'tenant'];
  const h = new Histogram({
    name: 'd_seconds',
    help: 'd',
    labelNames,
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });
  const c = new Counter({ name: 'r_total', help: 'r', labelNames, registers: [registry] });
  return () => {
    const { route, tenant, seconds } = next();
    const labels = {
      http_request_method: 'GET',
      http_route: route,
      http_response_status_code: '200',
      tenant,
    };
    h.observe(labels, seconds);
    c.inc(labels);
  };
}

let provider: MeterProvider | undefined;
function otel() {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('bench');
  const h = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const c = meter.createCounter('http.server.requests');
  return () => {
    const { route, tenant, seconds } = next();
    const attributes = {
      'http.request.method': 'GET',
      'http.route': route,
      'http.response.status_code': 200,
      tenant,
    };
    h.record(seconds, attributes);
    c.add(1, attributes);
  };
}

let ours: PlatformMetrics | undefined;
function platform() {
  ours = metrics({ shutdown: false, defaultMetrics: false, summary: false });
  const recorder = ours.recorder;
  if (!recorder) throw new Error('metrics are switched off (PLATFORM_METRICS?)');
  const ctx: RequestContext = { requestId: 'r', method: 'GET', path: '/', startTime: 0 };
  return () => {
    const { route, tenant, seconds } = next();
    ctx.route = route;
    ctx.tenantId = tenant;
    recorder.start('GET');
    recorder.finish('GET', seconds, 200, ctx);
  };
}

export default defineMicroSuite({
  name: 'metrics',
  description:
    'one request recorded (duration histogram + request counter, 4 labels, 200 label sets): prom-client vs the OpenTelemetry metrics SDK vs @platform/metrics’ RED recorder (its own cells under core’s seam, with the caps, rendered by prom-client)',
  cases: [
    {
      name: '@opentelemetry/sdk-metrics',
      group: 'record one request',
      baseline: true,
      setup: otel,
      teardown: () => provider?.shutdown(),
    },
    { name: 'prom-client', group: 'record one request', setup: promClient },
    {
      name: 'ours: RED recorder',
      group: 'record one request',
      setup: platform,
      teardown: () => ours?.close(),
    },
  ],
});
