import { ConfigError, setMetricsBackend } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import { gaugeReader, serve } from '../../test/health-support.js';
import type { RequestSample } from '../observer.js';
import { sloTracker } from './index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 11, 7, 12); // on an hour, so the buckets align with the windows

afterEach(() => setMetricsBackend(undefined));

function feed(
  tracker: { observe(s: RequestSample): void },
  at: number,
  counts: { good?: number; bad?: number },
  sample: Partial<RequestSample> = {},
) {
  const base = { method: 'GET', route: '/api/items', seconds: 0.01, endedAt: at, ...sample };
  for (let i = 0; i < (counts.good ?? 0); i++) tracker.observe({ ...base, status: 200 });
  for (let i = 0; i < (counts.bad ?? 0); i++) tracker.observe({ ...base, status: 503 });
}

/** Traffic with known counts per burn window (objective 0.999: budget 0.001). */
function knownTraffic(now: () => number) {
  const tracker = sloTracker({ now, slos: [{ name: 'api', objective: 0.999, window: '30d' }] });
  feed(tracker, T - 10 * DAY, { good: 89_970, bad: 30 }); // 30 d only
  feed(tracker, T - 2 * DAY, { good: 8_990, bad: 10 }); // 3 d and 30 d
  feed(tracker, T - 3 * HOUR, { good: 900 }); // 6 h, 3 d, 30 d
  feed(tracker, T - 10 * MINUTE, { good: 90, bad: 10 }); // every window
  return tracker;
}

describe('sloTracker()', () => {
  it('computes availability, the budget left and burn rates from known counts', () => {
    const tracker = knownTraffic(() => T);
    expect(tracker.report()).toEqual([
      {
        name: 'api',
        objective: 0.999,
        window: '30d',
        good: 99_950,
        bad: 50,
        availability: 0.9995, // 50 bad of 100,000
        error_budget_remaining: 0.5, // 0.0005 of a 0.001 budget spent
        burn_rate: {
          '1h': 100, // 10 bad of 100: 0.1 / 0.001
          '6h': 10, // 10 of 1,000
          '3d': 2, // 20 of 10,000
        },
      },
    ]);
    tracker.close();
  });

  it('rolls the windows forward as the clock moves', () => {
    let now = T;
    const tracker = knownTraffic(() => now);
    now = T + 65 * MINUTE; // the last burst leaves the 1 h window
    expect(tracker.report()[0]?.burn_rate).toEqual({ '1h': 0, '6h': 10, '3d': 2 });
    now = T + 21 * DAY; // the oldest traffic leaves the 30 d window
    expect(tracker.report()[0]).toMatchObject({ good: 9_980, bad: 20, error_budget_remaining: -1 });
    now = T + 60 * DAY;
    expect(tracker.report()[0]).toMatchObject({
      good: 0,
      bad: 0,
      availability: 1,
      error_budget_remaining: 1,
    });
    feed(tracker, now - 40 * DAY, { bad: 5 }); // older than the window: ignored
    expect(tracker.report()[0]?.bad).toBe(0);
    tracker.close();
  });

  it('counts slow and failed requests against a latency SLO, and only the routes it covers', () => {
    const tracker = sloTracker({
      now: () => T,
      slos: [
        {
          name: 'items-p',
          routes: ['/api/items'],
          objective: 0.99,
          window: '28d',
          latency: { thresholdSeconds: 0.2 },
        },
        {
          name: 'admin',
          routes: (route) => route.startsWith('/admin/'),
          objective: 0.9,
          window: '7d',
        },
      ],
    });
    feed(tracker, T, { good: 6 }, { seconds: 0.2 }); // at the threshold: good
    feed(tracker, T, { good: 2 }, { seconds: 0.2001 }); // slower: bad
    feed(tracker, T, { bad: 1 }, { seconds: 0.01 }); // 5xx: bad however fast
    tracker.observe({ method: 'GET', route: '/api/items', status: 404, seconds: 0.01, endedAt: T }); // 4xx: good
    feed(tracker, T, { good: 3, bad: 1 }, { route: '/admin/users' });
    feed(tracker, T, { bad: 7 }, { route: 'unmatched' }); // neither
    const [items, admin] = tracker.report();
    expect(items).toMatchObject({
      good: 7,
      bad: 3,
      availability: 0.7,
      latency_threshold_seconds: 0.2,
    });
    expect(items?.burn_rate['1h']).toBe(30); // 0.3 / 0.01
    expect(items?.error_budget_remaining).toBe(-29);
    expect(admin).toMatchObject({
      good: 3,
      bad: 1,
      availability: 0.75,
      error_budget_remaining: -1.5,
    });
    tracker.close();
  });

  it('exports the platform_slo_* gauges through the metrics seam', () => {
    const reader = gaugeReader();
    setMetricsBackend(reader.backend);
    const tracker = knownTraffic(() => T);
    expect(reader.read('platform_slo_objective_ratio')).toEqual({ api: 0.999 });
    expect(reader.read('platform_slo_availability_ratio')).toEqual({ api: 0.9995 });
    expect(reader.read('platform_slo_error_budget_remaining_ratio')).toEqual({ api: 0.5 });
    expect(reader.read('platform_slo_burn_rate')).toEqual({
      'api,1h': 100,
      'api,6h': 10,
      'api,3d': 2,
    });
    tracker.close();
    expect(reader.read('platform_slo_burn_rate')).toEqual({});
  });

  it('serves its report as JSON and never throws into the request path', async () => {
    const tracker = sloTracker({
      now: () => T,
      slos: [
        {
          name: 'odd',
          objective: 0.5,
          window: '7d',
          routes: () => {
            throw new Error('bad predicate');
          },
        },
        { name: 'all', objective: 0.5, window: '7d' },
      ],
    });
    expect(() => feed(tracker, T, { good: 1 })).not.toThrow();
    const server = await serve(tracker.handler);
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { slos: Array<{ name: string }> };
      expect(body.slos.map((s) => s.name)).toEqual(['odd', 'all']);
      expect((await fetch(server.url, { method: 'DELETE' })).status).toBe(405);
    } finally {
      await server.close();
      tracker.close();
    }
  });

  it('keeps memory bounded: one slot per bucket whatever the traffic', () => {
    let now = T;
    const tracker = sloTracker({
      now: () => now,
      bucketSeconds: 3600,
      slos: [{ name: 'a', objective: 0.99, window: '7d' }],
    });
    // 200 days of traffic through a 7-day ring of 168 hourly slots
    for (let hour = 0; hour < 200 * 24; hour++) {
      now = T + hour * HOUR;
      feed(tracker, now, { good: 9, bad: 1 });
    }
    expect(tracker.report()[0]).toMatchObject({ good: 168 * 9, bad: 168, availability: 0.9 });
    tracker.close();
  });

  it('rejects bad definitions with a ConfigError naming each field', () => {
    expect(() => sloTracker({ slos: [] })).toThrow(ConfigError);
    expect(() =>
      sloTracker({
        slos: [
          { name: 'a', objective: 1, window: '30d' },
          { name: 'a', objective: 0.9, window: '1y' as never, latency: { thresholdSeconds: 0 } },
        ],
        bucketSeconds: 7,
      }),
    ).toThrow(
      /slos\.0\.objective[\s\S]*slos\.1\.name[\s\S]*slos\.1\.window[\s\S]*latency\.thresholdSeconds/,
    );
  });
});
