import { afterEach, describe, expect, it } from 'vitest';
import {
  counter,
  declaredMetrics,
  type GaugeSample,
  gauge,
  histogram,
  type MetricLabels,
  type MetricsBackend,
  metricsEnabled,
  setMetricsBackend,
} from './metrics.js';

/** A backend that keeps what it is given, to read back in assertions. */
function recordingBackend() {
  const records: Array<[string, string, MetricLabels | undefined, number]> = [];
  const gauges = new Map<string, () => GaugeSample[]>();
  const backend: MetricsBackend = {
    counter: (spec) => ({
      inc: (labels, value = 1) => records.push([spec.name, 'inc', labels, value]),
    }),
    histogram: (spec) => ({
      observe: (labels, value) => records.push([spec.name, 'observe', labels, value]),
    }),
    gauge(spec, collect) {
      gauges.set(spec.name, collect);
      return {
        set: (labels, value) => records.push([spec.name, 'set', labels, value]),
        inc: (labels, value = 1) => records.push([spec.name, 'inc', labels, value]),
        dec: (labels, value = 1) => records.push([spec.name, 'dec', labels, value]),
      };
    },
  };
  return { backend, records, gauges };
}

afterEach(() => setMetricsBackend(undefined));

describe('metrics seam', () => {
  it('records nothing without a backend, and everything once one is installed', () => {
    const hits = counter({ name: 'test_seam_hits_total', help: 'Hits.', labelNames: ['kind'] });
    expect(metricsEnabled()).toBe(false);
    hits.inc({ kind: 'a' });
    const { backend, records } = recordingBackend();
    setMetricsBackend(backend);
    expect(metricsEnabled()).toBe(true);
    hits.inc({ kind: 'b' }, 2);
    histogram({ name: 'test_seam_seconds', help: 'Time.' }).observe(undefined, 0.5);
    expect(records).toEqual([
      ['test_seam_hits_total', 'inc', { kind: 'b' }, 2],
      ['test_seam_seconds', 'observe', undefined, 0.5],
    ]);
  });

  it('returns the same instrument for the same declaration and refuses a conflicting one', () => {
    counter({ name: 'test_seam_twice_total', help: 'Twice.', labelNames: ['a'] });
    expect(() =>
      counter({ name: 'test_seam_twice_total', help: 'Twice.', labelNames: ['a'] }),
    ).not.toThrow();
    expect(() => histogram({ name: 'test_seam_twice_total', help: 'Twice.' })).toThrow(
      /already declared as a counter/,
    );
    expect(() => counter({ name: 'bad name', help: 'x' })).toThrow(/not a valid metric name/);
    expect(() => counter({ name: 'test_seam_nohelp', help: '' })).toThrow(/help/);
  });

  it('reads gauge collectors at scrape time, skips failing ones, and removes them on request', () => {
    const depth = gauge({ name: 'test_seam_depth', help: 'Depth.', labelNames: ['queue'] });
    const remove = depth.collect(() => [[{ queue: 'a' }, 3]]);
    depth.collect(() => {
      throw new Error('broken collector');
    });
    depth.collect(() => 7);
    const { backend, gauges } = recordingBackend();
    setMetricsBackend(backend);
    expect(gauges.get('test_seam_depth')?.()).toEqual([
      [{ queue: 'a' }, 3],
      [{}, 7],
    ]);
    remove();
    expect(gauges.get('test_seam_depth')?.()).toEqual([[{}, 7]]);
    expect(declaredMetrics()).toContainEqual(
      expect.objectContaining({ kind: 'gauge', name: 'test_seam_depth', labelNames: ['queue'] }),
    );
  });
});
