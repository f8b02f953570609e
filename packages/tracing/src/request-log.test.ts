import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryDestination } from '../test/helpers.js';
import { LogLevels } from './log-levels.js';
import { createLogger } from './logger.js';
import { createRequestLog, type RequestLogEntry } from './request-log.js';

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

describe('createRequestLog line building', () => {
  afterEach(() => vi.useRealTimers());

  /** Raw lines (and onLine copies) from a logger made by createLogger. */
  const rawLogger = (options: Parameters<typeof createLogger>[0] = {}) => {
    const lines: string[] = [];
    const seen: string[] = [];
    const logger = createLogger({
      module: 'http',
      destination: { write: (s: string) => lines.push(s) } as never,
      levels: new LogLevels(),
      onLine: (s) => seen.push(s),
      ...options,
    });
    return { logger, lines, seen };
  };

  const entries: RequestLogEntry[] = [
    {
      method: 'GET',
      route: '/api/items/:id',
      status: 200,
      durationMs: 1.23456,
      requestId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    },
    {
      method: 'POST',
      route: '/a"b\\c',
      status: 404,
      durationMs: 0,
      requestId: 'r1',
      tenantId: 't',
    },
    { method: 'PATCH', route: '/ctl\u0001\n/é/😀', status: 201, durationMs: 2, requestId: 'r2' },
    { method: 'GET', route: `/${'x'.repeat(120)}`, status: 200, durationMs: 1500, requestId: 'r3' },
    { method: 'GET', status: 200, durationMs: Number.NaN, requestId: 'r4', spanId: 's' },
  ];

  it('writes the bytes pino writes for the same fields (levels, escaping, bindings, onLine)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T03:04:05.006Z'));
    for (const base of [undefined, { service: 'orders' }]) {
      const fast = rawLogger({ base });
      // A child logger takes pino's own path: the reference.
      const reference = rawLogger({ base });
      const viaPino = reference.logger.child({});
      const fastLog = createRequestLog(fast.logger, { slowMs: 1000 });
      const pinoLog = createRequestLog(viaPino, { slowMs: 1000 });
      for (const entry of entries) {
        fastLog.write(entry);
        pinoLog.write(entry);
      }
      expect(fast.lines).toEqual(reference.lines);
      expect(fast.seen).toEqual(reference.lines);
      expect(fast.lines).toHaveLength(entries.length);
      expect(JSON.parse(fast.lines[3]!)).toMatchObject({ level: 'warn', slow: true });
      expect(JSON.parse(fast.lines[1]!)).toMatchObject({ level: 'warn', route: '/a"b\\c' });
    }
  });

  it('follows the logger level set at runtime', () => {
    const levels = new LogLevels();
    const { logger, lines } = rawLogger({ levels });
    const log = createRequestLog(logger);
    levels.set('http', 'warn');
    log.write({ method: 'GET', status: 200, durationMs: 1, requestId: 'quiet' });
    log.write({ method: 'GET', status: 404, durationMs: 1, requestId: 'loud' });
    expect(lines.map((l) => JSON.parse(l).requestId)).toEqual(['loud']);
  });

  it('leaves lines without a requestId and loggers with redact paths to pino', () => {
    const { logger, lines } = rawLogger({ redact: ['route'] });
    const log = createRequestLog(logger);
    log.write({ method: 'GET', route: '/secret', status: 200, durationMs: 1, requestId: 'r' });
    expect(JSON.parse(lines[0]!).route).toBe('[REDACTED]');
  });
});
