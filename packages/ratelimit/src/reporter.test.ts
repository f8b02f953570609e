import { type ErrorInfo, type PlatformLogger, setDefaultLogger } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { LimiterLogEvent } from './events.js';
import { rateLimiter } from './limiter.js';
import type { RateLimiterOptions } from './options.js';
import type { RateLimitStore } from './store.js';
import { memoryStore } from './stores/memory.js';

type Line = { level: keyof PlatformLogger; fields: Record<string, unknown>; message?: string };

function capture(): { logger: PlatformLogger; lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: keyof PlatformLogger) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields: fields as Record<string, unknown>, message });
    };
  return {
    lines,
    logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') },
  };
}

/** A store that fails while `down` is true. */
function flaky(): RateLimitStore & { down: boolean } {
  const inner = memoryStore();
  return {
    down: false,
    consume(checks) {
      if (this.down) throw new Error('store down');
      return inner.consume(checks);
    },
  };
}

const policies = { name: 'p', limit: 1, window: '1m' };

afterEach(() => setDefaultLogger(undefined));

/** Refuses `k` once, then fails one check and answers again; `log` as given. */
async function refusalAndOutage(log: RateLimiterOptions['log']) {
  const { logger, lines } = capture();
  const errors: unknown[] = [];
  const store = flaky();
  const limiter = rateLimiter({ policies, store, logger, log, onError: (e) => errors.push(e) });
  await limiter.check('k');
  await limiter.check('k');
  store.down = true;
  await limiter.check('k');
  store.down = false;
  await limiter.check('j');
  return { lines, errors };
}

describe('diagnostics: logger and onError', () => {
  it('logs a refusal through the logger, with component and code', async () => {
    const { logger, lines } = capture();
    const limiter = rateLimiter({ name: 'api', policies, logger });
    await limiter.check('k');
    await limiter.check('k');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      message: 'rate limit exceeded',
      fields: {
        component: '@platform/ratelimit',
        code: 'RATE_LIMIT_EXCEEDED',
        limiter: 'api',
        keyKind: 'key',
        key: 'k',
        violated: ['p'],
        dryRun: false,
      },
    });
  });

  it('uses the process-wide logger when given none', async () => {
    const { logger, lines } = capture();
    setDefaultLogger(logger);
    const limiter = rateLimiter({ policies });
    await limiter.check('k');
    await limiter.check('k');
    expect(lines.map((l) => l.fields.code)).toEqual(['RATE_LIMIT_EXCEEDED']);
  });

  it('reports an outage once to onError and the logger, and its end with counts', async () => {
    const { logger, lines } = capture();
    const errors: [unknown, ErrorInfo][] = [];
    const store = flaky();
    const limiter = rateLimiter({
      name: 'api',
      policies: { name: 'p', limit: 100, window: '1m' },
      store,
      failMode: 'closed',
      logger,
      onError: (error, info) => errors.push([error, info]),
    });
    store.down = true;
    for (let i = 0; i < 3; i++) expect((await limiter.check('k')).degraded).toBe(true);
    store.down = false;
    expect((await limiter.check('k')).degraded).toBe(false);
    expect(errors).toHaveLength(1);
    const [error, info] = errors[0] as [unknown, ErrorInfo];
    expect((error as Error).message).toBe('store down');
    expect(info).toEqual({
      component: '@platform/ratelimit',
      code: 'RATE_LIMIT_STORE_DEGRADED',
      limiter: 'api',
      failMode: 'closed',
      reason: 'error',
    });
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'rate limit store degraded'],
      ['info', 'rate limit store recovered'],
    ]);
    expect(lines[1]?.fields).toMatchObject({
      code: 'RATE_LIMIT_STORE_RECOVERED',
      failedOpen: 0,
      failedClosed: 3,
    });
  });

  it('hands the lines to a `log` callback instead, and onError still hears of the outage', async () => {
    const events: LimiterLogEvent[] = [];
    const { lines, errors } = await refusalAndOutage((e) => events.push(e));
    expect(events.map((e) => e.msg)).toEqual([
      'rate limit exceeded',
      'rate limit store degraded',
      'rate limit store recovered',
    ]);
    expect(events[1]).toMatchObject({ level: 'warn', failMode: 'open', error: 'store down' });
    expect(lines).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('logs nothing with `log: false`, and onError still hears of the outage', async () => {
    const { lines, errors } = await refusalAndOutage(false);
    expect(lines).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('survives a logger and an onError that throw', async () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const store = flaky();
    const limiter = rateLimiter({
      policies,
      store,
      logger: { error: boom, warn: boom, info: boom, debug: boom },
      onError: boom,
    });
    await limiter.check('k');
    expect((await limiter.check('k')).allowed).toBe(false);
    store.down = true;
    expect((await limiter.check('k')).degraded).toBe(true);
  });

  it('refuses a logger without the four levels', () => {
    expect(() =>
      rateLimiter({ policies, logger: { warn() {} } as unknown as PlatformLogger }),
    ).toThrow(/logger/);
  });
});
