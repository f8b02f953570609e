import { describe, expect, it } from 'vitest';
import { RequestSummary } from '../src/summary/index.js';
import { BOUNDS } from '../src/summary/window.js';

/** The bucket [lower, upper] that holds `seconds`. */
function bucket(seconds: number): [number, number] {
  const i = BOUNDS.findIndex((b) => seconds <= b);
  return [i === 0 ? 0 : (BOUNDS[i - 1] as number), BOUNDS[i] as number];
}

describe('RequestSummary', () => {
  it('P50/P95/P99 match a known latency distribution within bucket resolution', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const summary = new RequestSummary({ now: () => now });
    // a log-normal-ish spread of 10,000 latencies, 2 % of them 5xx
    const latencies: number[] = [];
    for (let i = 0; i < 10_000; i++) latencies.push(0.002 * Math.exp(((i * 7919) % 10_000) / 1600));
    latencies.forEach((seconds, i) => {
      summary.observe({
        method: 'GET',
        route: '/api/items/:id',
        status: i % 50 === 0 ? 503 : 200,
        seconds,
        tenant: i % 2 ? 'acme' : 'globex',
        endedAt: now - (i % 3000) * 1000, // spread over the last 50 minutes
      });
    });
    const sorted = [...latencies].sort((a, b) => a - b);
    const hour = summary.summary().windows['1h'];
    for (const [q, key] of [
      [0.5, 'p50'],
      [0.95, 'p95'],
      [0.99, 'p99'],
    ] as const) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1] as number;
      const [lower, upper] = bucket(truth);
      const estimate = hour.total[key] as number;
      expect(estimate, `${key}: true ${truth}`).toBeGreaterThanOrEqual(lower);
      expect(estimate, `${key}: true ${truth}`).toBeLessThanOrEqual(upper);
    }
    expect(hour.total.requests).toBe(10_000);
    expect(hour.total.errorRate).toBeCloseTo(0.02, 5);
    expect(hour.total.rate).toBeCloseTo(10_000 / 2999, 1);
    expect(hour.routes['GET /api/items/:id']?.requests).toBe(10_000);
    expect(hour.tenants.acme?.requests).toBe(5_000);
  });

  it('slides: the hour forgets what is older, the day keeps it; keys are capped', () => {
    let now = Date.UTC(2026, 0, 1, 0);
    const summary = new RequestSummary({ now: () => now, maxKeys: 2 });
    for (const route of ['/a', '/b', '/c', '/d']) {
      summary.observe({ method: 'GET', route, status: 200, seconds: 0.01, endedAt: now });
    }
    now += 2 * 3600_000;
    const { windows } = summary.summary();
    expect(windows['1h'].total.requests).toBe(0);
    expect(windows['1h'].total.p99).toBeNull();
    expect(windows['24h'].total.requests).toBe(4);
    expect(Object.keys(windows['24h'].routes).sort()).toEqual(['GET /a', 'GET /b', 'other']);
    expect(windows['24h'].routes.other?.requests).toBe(2);
    now += 25 * 3600_000;
    expect(summary.summary().windows['24h'].total.requests).toBe(0);
  });
});
