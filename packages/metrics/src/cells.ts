import type { Exemplar } from '@platform/core';
import type { SeriesSet } from './series.js';

/**
 * Counters and histograms kept in our own cells, one per series, at the leaf of the
 * instrument's `SeriesSet`: a record is the series lookup plus a few additions. prom-client
 * hashes the label object on every observe (twice with an exemplar); here the tree lookup
 * already found the series. The cells render through prom-client's registry as metrics of
 * its own shape (`registerMetric` + `getForPromString`), beside its process metrics.
 */

type Labels = Record<string, string>;

/** One value of a rendered metric, in the shape prom-client's registry formats. */
interface Sample {
  labels: Labels | { le: number | string };
  sharedLabels?: Labels;
  value: number;
  metricName?: string;
  exemplar?: { labelSet: Labels; value: number; timestamp: number };
}

interface Rendered {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

export interface CounterCell {
  readonly labels: Labels;
  value: number;
}

export const counterCell = (labels: Labels): CounterCell => ({ labels, value: 0 });

/** The last observation of one bucket that carried a trace (an OpenMetrics exemplar). */
interface BucketExemplar {
  traceId: string;
  spanId: string | undefined;
  value: number;
  timestamp: number;
}

export interface HistogramCell {
  readonly labels: Labels;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  readonly exemplars: Array<BucketExemplar | undefined>;
  sum: number;
  count: number;
}

export const histogramCell =
  (bounds: readonly number[]) =>
  (labels: Labels): HistogramCell => ({
    labels,
    counts: new Float64Array(bounds.length + 1),
    exemplars: [],
    sum: 0,
    count: 0,
  });

/** Index of the first bucket whose upper bound holds `value` (bounds.length: +Inf). */
export function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > (bounds[i] as number)) i++;
  return i;
}

export function observeCell(
  cell: HistogramCell,
  bounds: readonly number[],
  value: number,
  exemplar: Exemplar | undefined,
): void {
  const bucket = bucketOf(bounds, value);
  cell.counts[bucket] = (cell.counts[bucket] as number) + 1;
  cell.sum += value;
  cell.count++;
  if (exemplar === undefined) return;
  const kept = cell.exemplars[bucket];
  const timestamp = Date.now() / 1000;
  if (kept === undefined) {
    cell.exemplars[bucket] = {
      traceId: exemplar.traceId,
      spanId: exemplar.spanId,
      value,
      timestamp,
    };
    return;
  }
  kept.traceId = exemplar.traceId;
  kept.spanId = exemplar.spanId;
  kept.value = value;
  kept.timestamp = timestamp;
}

function exemplarSample(kept: BucketExemplar | undefined): Sample['exemplar'] {
  if (kept === undefined) return undefined;
  const labelSet: Labels =
    kept.spanId === undefined
      ? { trace_id: kept.traceId }
      : { trace_id: kept.traceId, span_id: kept.spanId };
  return { labelSet, value: kept.value, timestamp: kept.timestamp };
}

/** The metric prom-client's registry renders for a counter's cells. */
export function counterMetric(name: string, help: string, series: SeriesSet<CounterCell>) {
  const render = (): Rendered => ({
    name,
    help,
    type: 'counter',
    values: series.cells().map((cell) => ({ labels: cell.labels, value: cell.value })),
    aggregator: 'sum',
  });
  return metricOf(name, help, 'counter', render, () => series.clear());
}

/** The metric prom-client's registry renders for a histogram's cells (`_bucket`, `_sum`, `_count`). */
export function histogramMetric(
  name: string,
  help: string,
  bounds: readonly number[],
  series: SeriesSet<HistogramCell>,
) {
  const render = (): Rendered => {
    const values: Sample[] = [];
    for (const cell of series.cells()) {
      const shared = cell.labels;
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += cell.counts[i] as number;
        values.push({
          labels: { le: i < bounds.length ? (bounds[i] as number) : '+Inf' },
          sharedLabels: shared,
          value: cumulative,
          metricName: `${name}_bucket`,
          exemplar: exemplarSample(cell.exemplars[i]),
        });
      }
      values.push({ labels: {}, sharedLabels: shared, value: cell.sum, metricName: `${name}_sum` });
      values.push({
        labels: {},
        sharedLabels: shared,
        value: cell.count,
        metricName: `${name}_count`,
      });
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  };
  return metricOf(name, help, 'histogram', render, () => series.clear());
}

function metricOf(
  name: string,
  help: string,
  type: Rendered['type'],
  render: () => Rendered,
  reset: () => void,
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    getForPromString: async () => render(),
    /** prom-client's JSON shape: each sample's series labels merged into its own. */
    get: async () => {
      const data = render();
      data.values = data.values.map(({ sharedLabels, ...sample }) => ({
        ...sample,
        labels: { ...sharedLabels, ...sample.labels } as Labels,
      }));
      return data;
    },
    reset,
  };
}
