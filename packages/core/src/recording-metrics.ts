import {
  type Exemplar,
  type GaugeSample,
  type MetricLabels,
  type MetricsBackend,
  setMetricsBackend,
} from './metrics.js';

/** One record a package made: a counter increment, a histogram observation or a gauge change. */
export interface RecordedSample {
  kind: 'inc' | 'observe' | 'set' | 'dec';
  labels: MetricLabels;
  value: number;
  exemplar?: Exemplar;
}

/** What `recordingMetrics()` returns: readers over everything recorded since it was installed. */
export interface RecordingMetrics {
  /**
   * The sum of every counter increment (or histogram observation) under `name` whose labels
   * include `labels` (a subset match: `{ outcome: 'refused' }` sums over every limiter).
   */
  value(name: string, labels?: MetricLabels): number;
  /** The raw records under `name`, in order, optionally only those whose labels include `labels`. */
  samples(name: string, labels?: MetricLabels): RecordedSample[];
  /**
   * A gauge's value as a scrape would read it: runs the gauge's collectors (and its `set`/`inc`
   * records) and returns the first series whose labels include `labels`; `undefined` when none.
   */
  gaugeValue(name: string, labels?: MetricLabels): number | undefined;
  /** Every series a gauge's collectors report right now. */
  gaugeSamples(name: string): GaugeSample[];
  /** Forgets the records so far (the gauges' collectors stay). */
  clear(): void;
  /** Uninstalls the backend: recording is off again. */
  restore(): void;
}

function includes(labels: MetricLabels | undefined, wanted: MetricLabels | undefined): boolean {
  if (wanted === undefined) return true;
  for (const [key, value] of Object.entries(wanted)) {
    if (String(labels?.[key]) !== String(value)) return false;
  }
  return true;
}

function seriesKey(labels: MetricLabels | undefined): string {
  return JSON.stringify(Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Installs a metrics backend that keeps every record in memory, for tests that assert a package
 * reports what it should through core's seam. Call `restore()` after the test (recording is then
 * off, as it is in a process without @platform/metrics).
 *
 * @example
 * const metrics = recordingMetrics();
 * afterEach(() => metrics.clear());
 * afterAll(() => metrics.restore());
 * // ...drive the package...
 * expect(metrics.value('platform_ratelimit_decisions_total', { outcome: 'refused' })).toBe(1);
 */
export function recordingMetrics(): RecordingMetrics {
  const records = new Map<string, RecordedSample[]>();
  const collectors = new Map<string, () => GaugeSample[]>();
  const push = (name: string, sample: RecordedSample) => {
    const list = records.get(name);
    if (list) list.push(sample);
    else records.set(name, [sample]);
  };
  const backend: MetricsBackend = {
    counter: ({ name }) => ({
      inc: (labels = {}, value = 1) => push(name, { kind: 'inc', labels, value }),
    }),
    histogram: ({ name }) => ({
      observe: (labels = {}, value, exemplar) =>
        push(name, { kind: 'observe', labels, value, ...(exemplar ? { exemplar } : {}) }),
    }),
    gauge({ name }, collect) {
      collectors.set(name, collect);
      return {
        set: (labels = {}, value) => push(name, { kind: 'set', labels, value }),
        inc: (labels = {}, value = 1) => push(name, { kind: 'inc', labels, value }),
        dec: (labels = {}, value = 1) => push(name, { kind: 'dec', labels, value }),
      };
    },
  };
  const samples = (name: string, labels?: MetricLabels) =>
    (records.get(name) ?? []).filter((sample) => includes(sample.labels, labels));
  const gaugeSamples = (name: string): GaugeSample[] => {
    const series = new Map<string, [MetricLabels, number]>();
    for (const { kind, labels, value } of records.get(name) ?? []) {
      const key = seriesKey(labels);
      const before = series.get(key)?.[1] ?? 0;
      const next = kind === 'set' ? value : kind === 'dec' ? before - value : before + value;
      series.set(key, [labels, next]);
    }
    return [...series.values(), ...(collectors.get(name)?.() ?? [])];
  };
  setMetricsBackend(backend);
  return {
    value: (name, labels) => samples(name, labels).reduce((sum, { value }) => sum + value, 0),
    samples,
    gaugeSamples,
    gaugeValue: (name, labels) => gaugeSamples(name).find(([l]) => includes(l, labels))?.[1],
    clear: () => records.clear(),
    restore: () => setMetricsBackend(undefined),
  };
}
