import { describe, expect, it } from 'vitest';
import { memoryDestination } from '../test/helpers.js';
import { LogLevels } from './log-levels.js';
import { createLogger } from './logger.js';
import { createRequestLog } from './request-log.js';

const setup = (options: Parameters<typeof createRequestLog>[1]) => {
  const dest = memoryDestination();
  const log = createRequestLog(
    createLogger({ destination: dest, levels: new LogLevels() }),
    options,
  );
  return { dest, log };
};

describe('createRequestLog', () => {
  it('writes one line per request with method, route, status, duration_ms and requestId', () => {
    const { dest, log } = setup({});
    log.write({
      method: 'GET',
      route: '/api/items/:id',
      status: 200,
      durationMs: 3.21456,
      requestId: 'r1',
      traceId: 't1',
      spanId: 's1',
    });
    expect(dest.lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'request completed',
        method: 'GET',
        route: '/api/items/:id',
        status: 200,
        duration_ms: 3.215,
        requestId: 'r1',
        trace_id: 't1',
        span_id: 's1',
      }),
    ]);
  });

  it('samples successes but keeps every 5xx and every slow request', () => {
    const { dest, log } = setup({ sampleRate: 0, slowMs: 500 });
    for (let i = 0; i < 100; i++)
      log.write({ method: 'GET', route: '/ok', status: 200, durationMs: 5 });
    log.write({ method: 'GET', route: '/bad', status: 503, durationMs: 5 });
    log.write({ method: 'GET', route: '/boom', status: 500, durationMs: 5, error: new Error('x') });
    log.write({ method: 'GET', route: '/slow', status: 200, durationMs: 900 });
    expect(dest.lines.map((l) => [l.route, l.level])).toEqual([
      ['/bad', 'error'],
      ['/boom', 'error'],
      ['/slow', 'warn'],
    ]);
    expect(dest.lines[2]!.slow).toBe(true);
    expect((dest.lines[1]!.err as { message: string }).message).toBe('x');
  });

  it('keeps roughly the configured share of successes', () => {
    const { dest, log } = setup({ sampleRate: 0.5 });
    for (let i = 0; i < 4000; i++) log.write({ method: 'GET', status: 200, durationMs: 1 });
    // 2000 expected, sd ~32: 6 sd either side
    expect(dest.lines.length).toBeGreaterThan(1800);
    expect(dest.lines.length).toBeLessThan(2200);
  });

  it('rejects a bad sample rate', () => {
    expect(() => setup({ sampleRate: 2 })).toThrow(/sampleRate/);
  });
});
