import { processSingleton } from './singleton.js';

/**
 * The metrics seam every @platform package reports through. Packages declare their
 * instruments here (in core, with no metrics library) and record into them; nothing is
 * recorded until a backend is installed with `setMetricsBackend` — @platform/metrics
 * installs its registry — so a process without metrics pays one property check per record.
 * Instruments declared before or after the backend is installed work alike.
 */

/** Label values of one series. A label named `tenant` is capped by the backend. */
export type MetricLabels = Readonly<Record<string, string | number>>;

/** A trace to attach to a histogram observation (an OpenMetrics exemplar). */
export interface Exemplar {
  traceId: string;
  spanId?: string;
}

/** What every instrument declares. Names follow Prometheus conventions (`_total`, `_seconds`). */
export interface MetricSpec {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

export interface HistogramSpec extends MetricSpec {
  /** Upper bounds of the buckets, ascending. Default: the backend's. */
  buckets?: readonly number[];
}

/** One series of a gauge, as a collector reports it at scrape time. */
export type GaugeSample = readonly [labels: MetricLabels, value: number];

/** Reports a gauge's current value(s) when it is read; a number means one unlabelled series. */
export type GaugeCollector = () => number | Iterable<GaugeSample> | undefined;

export interface Counter {
  inc(labels?: MetricLabels, value?: number): void;
}

export interface Histogram {
  observe(labels: MetricLabels | undefined, value: number, exemplar?: Exemplar): void;
}

export interface Gauge {
  set(labels: MetricLabels | undefined, value: number): void;
  inc(labels?: MetricLabels, value?: number): void;
  dec(labels?: MetricLabels, value?: number): void;
  /**
   * Adds a function read at every scrape (a queue's depth, a table's size). Returns the
   * function that removes it: call it from the component's `close()`.
   */
  collect(collector: GaugeCollector): () => void;
}

/** What a metrics library provides (see @platform/metrics). */
export interface MetricsBackend {
  counter(spec: MetricSpec): Counter;
  histogram(spec: HistogramSpec): Histogram;
  /** `collect` returns the samples of every collector added to the gauge. */
  gauge(spec: MetricSpec, collect: () => GaugeSample[]): Omit<Gauge, 'collect'>;
}

type Kind = 'counter' | 'histogram' | 'gauge';

interface Declared {
  kind: Kind;
  spec: MetricSpec | HistogramSpec;
  collectors: Set<GaugeCollector>;
  /** The backend instrument and the backend generation it was made for. */
  real: unknown;
  generation: number;
}

const shared = processSingleton('@platform/core.metrics', 1, () => ({
  backend: undefined as MetricsBackend | undefined,
  /** Bumped on every `setMetricsBackend`, so instruments rebind lazily. */
  generation: 0,
  declared: new Map<string, Declared>(),
}));

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function declare(kind: Kind, spec: MetricSpec | HistogramSpec): Declared {
  if (typeof spec?.name !== 'string' || !NAME.test(spec.name)) {
    throw new TypeError(`metrics: "${String(spec?.name)}" is not a valid metric name`);
  }
  if (typeof spec.help !== 'string' || spec.help === '') {
    throw new TypeError(`metrics: ${spec.name} needs a help text`);
  }
  const found = shared.declared.get(spec.name);
  if (found) {
    const sameLabels = (found.spec.labelNames ?? []).join() === (spec.labelNames ?? []).join();
    if (found.kind !== kind || !sameLabels) {
      throw new TypeError(
        `metrics: ${spec.name} is already declared as a ${found.kind} with labels [${(found.spec.labelNames ?? []).join(', ')}]`,
      );
    }
    return found;
  }
  const entry: Declared = { kind, spec, collectors: new Set(), real: undefined, generation: -1 };
  shared.declared.set(spec.name, entry);
  bound(entry); // an installed backend shows the new series at once
  return entry;
}

function samples(entry: Declared): GaugeSample[] {
  const out: GaugeSample[] = [];
  for (const collector of entry.collectors) {
    let value: ReturnType<GaugeCollector>;
    try {
      value = collector();
    } catch {
      continue; // a failing collector must not break the scrape
    }
    if (value === undefined) continue;
    if (typeof value === 'number') out.push([{}, value]);
    else for (const sample of value) out.push(sample);
  }
  return out;
}

/** The backend instrument for `entry`, made on first use after each backend change. */
function bound<T>(entry: Declared): T | undefined {
  const backend = shared.backend;
  if (backend === undefined) return undefined;
  if (entry.generation !== shared.generation) {
    const { kind, spec } = entry;
    entry.real =
      kind === 'counter'
        ? backend.counter(spec)
        : kind === 'histogram'
          ? backend.histogram(spec)
          : backend.gauge(spec, () => samples(entry));
    entry.generation = shared.generation;
  }
  return entry.real as T;
}

/**
 * Declares a counter (or returns the one already declared under that name).
 *
 * @example
 * const decisions = counter({ name: 'platform_ratelimit_decisions_total', help: 'Rate-limit decisions.', labelNames: ['limiter', 'outcome'] });
 * decisions.inc({ limiter: 'api', outcome: 'allowed' });
 */
export function counter(spec: MetricSpec): Counter {
  const entry = declare('counter', spec);
  return {
    inc(labels, value = 1) {
      if (shared.backend === undefined) return;
      bound<Counter>(entry)?.inc(labels, value);
    },
  };
}

/** Declares a histogram (or returns the one already declared under that name). */
export function histogram(spec: HistogramSpec): Histogram {
  const entry = declare('histogram', spec);
  return {
    observe(labels, value, exemplar) {
      if (shared.backend === undefined) return;
      bound<Histogram>(entry)?.observe(labels, value, exemplar);
    },
  };
}

/** Declares a gauge (or returns the one already declared under that name). */
export function gauge(spec: MetricSpec): Gauge {
  const entry = declare('gauge', spec);
  return {
    set(labels, value) {
      if (shared.backend === undefined) return;
      bound<Gauge>(entry)?.set(labels, value);
    },
    inc(labels, value = 1) {
      if (shared.backend === undefined) return;
      bound<Gauge>(entry)?.inc(labels, value);
    },
    dec(labels, value = 1) {
      if (shared.backend === undefined) return;
      bound<Gauge>(entry)?.dec(labels, value);
    },
    collect(collector) {
      entry.collectors.add(collector);
      bound(entry); // a backend installed already starts reading it now
      return () => {
        entry.collectors.delete(collector);
      };
    },
  };
}

/**
 * Installs the process-wide metrics backend (@platform/metrics does this); `undefined`
 * switches recording off again. Every instrument declared so far, and every one declared
 * later, records into it.
 */
export function setMetricsBackend(backend: MetricsBackend | undefined): void {
  shared.backend = backend;
  shared.generation++;
  for (const entry of shared.declared.values()) bound(entry);
}

/** True while a backend is installed: skip building labels when it is false. */
export function metricsEnabled(): boolean {
  return shared.backend !== undefined;
}

/** Every instrument declared in this process: name, kind, help and label names. */
export function declaredMetrics(): Array<{ kind: Kind } & MetricSpec> {
  return [...shared.declared.values()].map(({ kind, spec }) => ({ kind, ...spec }));
}
