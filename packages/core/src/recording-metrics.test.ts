import { afterEach, describe, expect, it } from 'vitest';
import { counter, gauge, histogram, metricsEnabled } from './metrics.js';
import { recordingMetrics } from './testkit.js';

const hits = counter({ name: 'test_recording_hits_total', help: 'Hits.', labelNames: ['kind'] });
const took = histogram({ name: 'test_recording_seconds', help: 'Time.', labelNames: ['op'] });
const depth = gauge({ name: 'test_recording_depth', help: 'Depth.', labelNames: ['queue'] });

describe('recordingMetrics', () => {
  let metrics: ReturnType<typeof recordingMetrics> | undefined;
  afterEach(() => metrics?.restore());

  it('sums counter increments by a subset of their labels', () => {
    metrics = recordingMetrics();
    hits.inc({ kind: 'a' });
    hits.inc({ kind: 'a' }, 2);
    hits.inc({ kind: 'b' });
    expect(metrics.value('test_recording_hits_total', { kind: 'a' })).toBe(3);
    expect(metrics.value('test_recording_hits_total')).toBe(4);
    expect(metrics.value('test_recording_hits_total', { kind: 'c' })).toBe(0);
    metrics.clear();
    expect(metrics.value('test_recording_hits_total')).toBe(0);
  });

  it('keeps histogram observations with their exemplars', () => {
    metrics = recordingMetrics();
    took.observe({ op: 'select' }, 0.25, { traceId: 't1' });
    expect(metrics.samples('test_recording_seconds', { op: 'select' })).toEqual([
      { kind: 'observe', labels: { op: 'select' }, value: 0.25, exemplar: { traceId: 't1' } },
    ]);
  });

  it('reads gauges through their collectors and their set/inc records', () => {
    metrics = recordingMetrics();
    let pending = 3;
    const remove = depth.collect(() => [[{ queue: 'audit' }, pending]]);
    depth.set({ queue: 'other' }, 7);
    depth.inc({ queue: 'other' });
    expect(metrics.gaugeValue('test_recording_depth', { queue: 'audit' })).toBe(3);
    pending = 5;
    expect(metrics.gaugeValue('test_recording_depth', { queue: 'audit' })).toBe(5);
    expect(metrics.gaugeValue('test_recording_depth', { queue: 'other' })).toBe(8);
    remove();
    expect(metrics.gaugeValue('test_recording_depth', { queue: 'audit' })).toBeUndefined();
  });

  it('switches recording off on restore', () => {
    metrics = recordingMetrics();
    expect(metricsEnabled()).toBe(true);
    metrics.restore();
    expect(metricsEnabled()).toBe(false);
    hits.inc({ kind: 'a' });
    expect(metrics.value('test_recording_hits_total')).toBe(0);
  });
});
