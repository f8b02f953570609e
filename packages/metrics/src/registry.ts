import type {
  Counter,
  Exemplar,
  Gauge,
  GaugeSample,
  Histogram,
  HistogramSpec,
  MetricLabels,
  MetricSpec,
  MetricsBackend,
} from '@platform/core';
import {
  collectDefaultMetrics,
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client';
import { SeriesSet, TenantCap } from './series.js';

export interface RegistryOptions {
  /** How many distinct tenants keep their own series (the rest record as `other`). Default 100. */
  tenantsMax?: number;
  /** Series per instrument before new label sets fold into one `other` series. Default 10,000. */
  maxSeries?: number;
  /** Process metrics (CPU, memory, event loop lag, GC) from prom-client. Default true. */
  defaultMetrics?: boolean;
  /** Told once per instrument whose series cap was reached, and of every instrument that failed to register. */
  onProblem?: (code: 'SERIES_CAP' | 'REGISTER_FAILED', name: string, err?: unknown) => void;
}

/** Default buckets: OpenTelemetry's HTTP duration buckets (seconds). */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const NOOP = () => {};

const validValue = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * core's `MetricsBackend` over a prom-client `Registry`: every instrument a package declares
 * through `@platform/core` becomes a prom-client metric here, with the `tenant` label capped
 * and each instrument's series bounded. Recording never throws into the caller.
 */
export class PromRegistry implements MetricsBackend {
  // An OpenMetrics registry, as prom-client allows exemplars only there; /metrics renders
  // either format from it (see exposition.ts).
  readonly registry = new Registry();
  readonly tenants: TenantCap;
  readonly #maxSeries: number;
  readonly #onProblem: NonNullable<RegistryOptions['onProblem']>;
  readonly #series = new Map<string, SeriesSet>();

  constructor(options: RegistryOptions = {}) {
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    this.tenants = new TenantCap(options.tenantsMax ?? 100);
    this.#maxSeries = options.maxSeries ?? 10_000;
    this.#onProblem = options.onProblem ?? NOOP;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** How many series each instrument holds (the tenant and series caps at work). */
  seriesCounts(): Record<string, number> {
    return Object.fromEntries([...this.#series].map(([name, set]) => [name, set.size]));
  }

  #seriesOf(spec: MetricSpec): SeriesSet {
    let warned = false;
    const set = new SeriesSet(spec.labelNames ?? [], this.tenants, this.#maxSeries, () => {
      if (warned) return;
      warned = true;
      this.#onProblem('SERIES_CAP', spec.name);
    });
    this.#series.set(spec.name, set);
    return set;
  }

  /** Makes the prom-client metric, or reports why it could not (a name clash) and records nothing. */
  #make<T>(spec: MetricSpec, build: () => T): T | undefined {
    try {
      return build();
    } catch (err) {
      this.#onProblem('REGISTER_FAILED', spec.name, err);
      return undefined;
    }
  }

  counter(spec: MetricSpec): Counter {
    const series = this.#seriesOf(spec);
    const metric = this.#make(spec, () => new PromCounter(common(spec, this.registry)));
    if (!metric) return { inc: NOOP };
    return {
      inc(labels, value = 1) {
        if (!validValue(value) || value < 0) return;
        metric.inc(series.labels(labels), value);
      },
    };
  }

  histogram(spec: HistogramSpec): Histogram {
    const series = this.#seriesOf(spec);
    const buckets = [...(spec.buckets ?? DURATION_BUCKETS)];
    const metric = this.#make(
      spec,
      () => new PromHistogram({ ...common(spec, this.registry), buckets, enableExemplars: true }),
    );
    if (!metric) return { observe: NOOP };
    return {
      observe(labels: MetricLabels | undefined, value: number, exemplar?: Exemplar) {
        if (!validValue(value)) return;
        const set = series.labels(labels);
        const traceId = exemplar?.traceId;
        if (traceId !== undefined && TRACE_ID.test(traceId)) {
          const spanId = exemplar?.spanId;
          const exemplarLabels: Record<string, string> =
            spanId !== undefined && SPAN_ID.test(spanId)
              ? { trace_id: traceId, span_id: spanId }
              : { trace_id: traceId };
          metric.observe({ labels: set, value, exemplarLabels });
        } else {
          metric.observe({ labels: set, value });
        }
      },
    };
  }

  gauge(spec: MetricSpec, collect: () => GaugeSample[]): Omit<Gauge, 'collect'> {
    const series = this.#seriesOf(spec);
    let collected = false;
    const metric = this.#make(
      spec,
      () =>
        new PromGauge({
          ...common(spec, this.registry),
          // read at scrape time: the collectors' samples replace the values they reported before
          collect() {
            const samples = collect();
            if (samples.length === 0 && !collected) return;
            collected = true;
            this.reset();
            for (const [labels, value] of samples) {
              if (validValue(value)) this.set(series.labels(labels), value);
            }
          },
        }),
    );
    if (!metric) return { set: NOOP, inc: NOOP, dec: NOOP };
    return {
      set(labels, value) {
        if (validValue(value)) metric.set(series.labels(labels), value);
      },
      inc(labels, value = 1) {
        if (validValue(value)) metric.inc(series.labels(labels), value);
      },
      dec(labels, value = 1) {
        if (validValue(value)) metric.dec(series.labels(labels), value);
      },
    };
  }
}

function common(spec: MetricSpec, registry: Registry) {
  return {
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
  };
}
