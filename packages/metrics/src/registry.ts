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
import { collectDefaultMetrics, type Metric, Gauge as PromGauge, Registry } from 'prom-client';
import {
  type CounterCell,
  counterCell,
  counterMetric,
  type HistogramCell,
  histogramCell,
  histogramMetric,
  observeCell,
} from './cells.js';
import { SeriesSet, TenantCap } from './series.js';

export interface RegistryOptions {
  /** How many distinct tenants keep their own series (the rest record as `other`). Default 100. */
  tenantsMax?: number;
  /** Series per instrument before new label sets fold into one `other` series. Default 10,000. */
  maxSeries?: number;
  /** Process metrics from prom-client (see `metrics()`'s option of the same name). Default true. */
  defaultMetrics?: boolean | 'prom-client-names';
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
  readonly #series = new Map<string, SeriesSet<unknown>>();

  constructor(options: RegistryOptions = {}) {
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as never);
    this.tenants = new TenantCap(options.tenantsMax ?? 100);
    this.#maxSeries = options.maxSeries ?? 10_000;
    this.#onProblem = options.onProblem ?? NOOP;
    const process = options.defaultMetrics ?? true;
    if (process !== false) {
      collectDefaultMetrics({ register: this.registry });
      if (process !== 'prom-client-names') this.#dropGaugesNamedTotal();
    }
  }

  /**
   * prom-client names three gauges `*_total`, a suffix Prometheus reserves for counters
   * (`promtool check metrics` flags them). Each is the sum of a labelled gauge it also serves
   * (`nodejs_active_handles_total` = `sum(nodejs_active_handles)`), so they are left out.
   */
  #dropGaugesNamedTotal(): void {
    for (const metric of this.registry.getMetricsAsArray() as unknown as Metric[]) {
      const { name, type } = metric as unknown as { name: string; type: string };
      if (type === 'gauge' && name.endsWith('_total')) this.registry.removeSingleMetric(name);
    }
  }

  /** How many series each instrument holds (the tenant and series caps at work). */
  seriesCounts(): Record<string, number> {
    return Object.fromEntries([...this.#series].map(([name, set]) => [name, set.size]));
  }

  #seriesOf<C>(spec: MetricSpec, make: (labels: Record<string, string>) => C): SeriesSet<C> {
    let warned = false;
    const set = new SeriesSet(spec.labelNames ?? [], this.tenants, this.#maxSeries, make, () => {
      if (warned) return;
      warned = true;
      this.#onProblem('SERIES_CAP', spec.name);
    });
    this.#series.set(spec.name, set);
    return set;
  }

  /** Registers one of our cell-backed metrics in the prom-client registry. */
  #register<M extends object>(metric: M): M {
    this.registry.registerMetric(metric as unknown as Metric);
    return metric;
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
    const series = this.#seriesOf<CounterCell>(spec, counterCell);
    const made = this.#make(spec, () =>
      this.#register(counterMetric(spec.name, spec.help, series)),
    );
    if (made === undefined) return { inc: NOOP };
    return {
      inc(labels, value = 1) {
        if (!validValue(value) || value < 0) return;
        series.cell(labels).value += value;
      },
    };
  }

  histogram(spec: HistogramSpec): Histogram {
    const bounds = [...(spec.buckets ?? DURATION_BUCKETS)];
    const series = this.#seriesOf<HistogramCell>(spec, histogramCell(bounds));
    const made = this.#make(spec, () =>
      this.#register(histogramMetric(spec.name, spec.help, bounds, series)),
    );
    if (made === undefined) return { observe: NOOP };
    return {
      observe(labels: MetricLabels | undefined, value: number, exemplar?: Exemplar) {
        if (!validValue(value)) return;
        observeCell(series.cell(labels), bounds, value, validExemplar(exemplar));
      },
    };
  }

  gauge(spec: MetricSpec, collect: () => GaugeSample[]): Omit<Gauge, 'collect'> {
    const series = this.#seriesOf(spec, (labels) => labels);
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
              if (validValue(value)) this.set(series.cell(labels), value);
            }
          },
        }),
    );
    if (!metric) return { set: NOOP, inc: NOOP, dec: NOOP };
    return {
      set(labels, value) {
        if (validValue(value)) metric.set(series.cell(labels), value);
      },
      inc(labels, value = 1) {
        if (validValue(value)) metric.inc(series.cell(labels), value);
      },
      dec(labels, value = 1) {
        if (validValue(value)) metric.dec(series.cell(labels), value);
      },
    };
  }
}

/** The exemplar to keep, when its ids are well formed (an OpenMetrics label set stays short). */
function validExemplar(exemplar: Exemplar | undefined): Exemplar | undefined {
  if (exemplar === undefined || !TRACE_ID.test(exemplar.traceId)) return undefined;
  const spanId = exemplar.spanId;
  return spanId === undefined || SPAN_ID.test(spanId) ? exemplar : { traceId: exemplar.traceId };
}

function common(spec: MetricSpec, registry: Registry) {
  return {
    name: spec.name,
    help: spec.help,
    labelNames: [...(spec.labelNames ?? [])],
    registers: [registry],
  };
}
