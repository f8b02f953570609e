import { ConfigError, setMetricsBackend } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import { gaugeReader, serve, statusOf } from '../../test/health-support.js';
import { checkFromStore, health } from './index.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  setMetricsBackend(undefined);
});

async function mounted(h: ReturnType<typeof health>) {
  const server = await serve(h.handler, '/health');
  closers.push(server.close, h.close);
  return server.url;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('health()', () => {
  it('answers liveness with 200 without calling any dependency', async () => {
    let calls = 0;
    const url = await mounted(health({ checks: [{ name: 'db', check: () => void calls++ }] }));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(calls).toBe(0);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('is ready (200) while every check passes and 503 once a critical one throws', async () => {
    let fail = false;
    const url = await mounted(
      health({
        cacheMs: 0,
        checks: [
          {
            name: 'db',
            check: () => {
              if (fail) throw new Error('connection refused');
            },
          },
          checkFromStore('queue', { ping: async () => 'ok' }),
        ],
      }),
    );
    let res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'healthy',
      checks: { db: 'healthy', queue: 'healthy' },
    });
    fail = true;
    res = await fetch(`${url}/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unhealthy',
      checks: { db: 'unhealthy', queue: 'healthy' },
    });
    const body = await statusOf(`${url}/status`);
    expect(body.code).toBe(503);
    expect(body.checks[0]).toMatchObject({
      name: 'db',
      status: 'unhealthy',
      message: 'connection refused',
      response_time_ms: expect.any(Number),
    });
    expect(body.history.map((t) => [t.name, t.from, t.to])).toEqual([
      ['db', 'healthy', 'unhealthy'],
      ['queue', null, 'healthy'],
      ['db', null, 'healthy'],
    ]);
  });

  it('reports a rejected promise, a degraded outcome and a slow success, and stays ready when only degraded', async () => {
    const h = health({
      cacheMs: 0,
      checks: [
        { name: 'search', critical: false, check: () => Promise.reject(new Error('index red')) },
        {
          name: 'cache',
          check: () => ({ status: 'degraded', message: 'replica lag', details: { lagMs: 900 } }),
        },
        {
          name: 'slowish',
          degradedMs: 20,
          check: async () => {
            await sleep(60);
          },
        },
      ],
    });
    const url = await mounted(h);
    const body = await statusOf(`${url}/status`);
    expect(body.code).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks).toMatchObject([
      { name: 'search', status: 'unhealthy', message: 'index red', critical: false },
      { name: 'cache', status: 'degraded', message: 'replica lag', details: { lagMs: 900 } },
      { name: 'slowish', status: 'degraded', message: 'slower than 20 ms' },
    ]);
    expect(body.checks[2]?.response_time_ms).toBeGreaterThanOrEqual(50);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
  });

  it('cuts a slow check at its timeout, aborts its signal and does not call it again while it hangs', async () => {
    let calls = 0;
    let aborted = false;
    let release: () => void = () => {};
    const url = await mounted(
      health({
        cacheMs: 0,
        timeoutMs: 100,
        checks: [
          {
            name: 'slow',
            check: (signal) => {
              if (++calls > 1) return;
              signal.addEventListener('abort', () => {
                aborted = true;
              });
              return new Promise<void>((resolve) => {
                release = resolve;
              });
            },
          },
        ],
      }),
    );
    const started = performance.now();
    const body = await statusOf(`${url}/status`);
    const elapsed = performance.now() - started;
    expect(body.code).toBe(503);
    expect(body.checks[0]).toMatchObject({
      status: 'unhealthy',
      message: 'timed out after 100 ms',
    });
    expect(body.checks[0]?.response_time_ms).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(600);
    expect(aborted).toBe(true);
    // still hanging: reported, not called again
    const again = await statusOf(`${url}/status`);
    expect(again.checks[0]?.message).toMatch(/previous check is still running/);
    expect(calls).toBe(1);
    release();
    await sleep(10);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('makes one dependency call for 1,000 concurrent probes, and one more per cache period', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const url = await mounted(
      health({
        cacheMs: 5_000,
        now: () => clock,
        checks: [
          {
            name: 'db',
            check: async () => {
              calls++;
              await sleep(50);
            },
          },
        ],
      }),
    );
    const storm = () =>
      Promise.all(Array.from({ length: 1_000 }, () => fetch(`${url}/ready`).then((r) => r.status)));
    const statuses = await storm();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(calls).toBe(1);
    clock += 4_999;
    await storm();
    expect(calls).toBe(1);
    clock += 2;
    await storm();
    expect(calls).toBe(2);
  }, 30_000);

  it('keeps a bounded history of transitions, newest first', async () => {
    let up = true;
    const h = health({
      cacheMs: 0,
      historySize: 3,
      checks: [
        {
          name: 'flappy',
          check: () => {
            if (!up) throw new Error('down');
          },
        },
      ],
    });
    for (let i = 0; i < 10; i++) {
      await h.report();
      await h.report(); // no transition: not recorded
      up = !up;
    }
    const history = h.history();
    expect(history).toHaveLength(3);
    expect(history.map((t) => t.to)).toEqual(['unhealthy', 'healthy', 'unhealthy']);
    expect(history[0]).toMatchObject({ name: 'flappy', from: 'healthy', message: 'down' });
    h.close();
  });

  it('exports platform_health_check_status and _duration_seconds through the metrics seam', async () => {
    const reader = gaugeReader();
    setMetricsBackend(reader.backend);
    const h = health({
      cacheMs: 0,
      checks: [
        {
          name: 'db',
          check: async () => {
            await sleep(20);
          },
        },
        { name: 'cache', check: () => ({ status: 'degraded' }) },
        { name: 'queue', check: () => Promise.reject(new Error('x')) },
      ],
    });
    expect(reader.read('platform_health_check_status')).toEqual({});
    await h.report();
    expect(reader.read('platform_health_check_status')).toEqual({ db: 1, cache: 0.5, queue: 0 });
    const durations = reader.read('platform_health_check_duration_seconds');
    expect(durations.db).toBeGreaterThanOrEqual(0.019);
    expect(durations.db).toBeLessThan(1);
    h.close();
    expect(reader.read('platform_health_check_status')).toEqual({});
  });

  it('protects /health/status with authorize, and rejects bad options with a ConfigError', async () => {
    const url = await mounted(health({ authorize: (req) => req.header('x-admin') === 'yes' }));
    expect((await fetch(`${url}/status`)).status).toBe(403);
    expect((await fetch(`${url}/status`, { headers: { 'x-admin': 'yes' } })).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const check = () => undefined;
    expect(() =>
      health({
        checks: [
          { name: 'a', check },
          { name: 'a', check },
        ],
      }),
    ).toThrow(ConfigError);
    expect(() => health({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => checkFromStore('x', {} as never)).toThrow(/no ping/);
  });
});
