import { runWithContext, setTenant } from '@platform/core';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryDestination } from '../test/helpers.js';
import { LogLevelError, LogLevels } from './log-levels.js';
import { createLogger, isoTime } from './logger.js';

const ctx = () => ({
  requestId: 'req-1',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  method: 'GET',
  path: '/x',
  startTime: Date.now(),
});

describe('createLogger', () => {
  it('puts requestId, trace_id, span_id and tenantId from the context on every line', () => {
    const dest = memoryDestination();
    const log = createLogger({ destination: dest, levels: new LogLevels() });
    runWithContext(ctx(), () => {
      setTenant('acme');
      log.info('one');
      log.child({ component: 'x' }).warn({ n: 2 }, 'two');
    });
    log.info('outside');
    expect(dest.lines[0]).toMatchObject({
      msg: 'one',
      level: 'info',
      module: 'app',
      requestId: 'req-1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      tenantId: 'acme',
    });
    expect(dest.lines[1]).toMatchObject({ msg: 'two', requestId: 'req-1', component: 'x', n: 2 });
    expect(dest.lines[2]!.requestId).toBeUndefined();
  });

  it('redacts secrets by default and configured paths', () => {
    const dest = memoryDestination();
    const log = createLogger({
      destination: dest,
      redact: ['card.number'],
      levels: new LogLevels(),
    });
    log.info({
      authorization: 'Bearer abc',
      headers: { cookie: 'sid=1', 'set-cookie': 'sid=2', authorization: 'Basic x' },
      user: { password: 'hunter2', apiKey: 'k', token: 't', secret: 's', name: 'ann' },
      card: { number: '4111', brand: 'visa' },
    });
    const line = dest.lines[0] as Record<string, Record<string, unknown>>;
    expect(line.authorization).toBe('[REDACTED]');
    expect(line.headers).toEqual({
      cookie: '[REDACTED]',
      'set-cookie': '[REDACTED]',
      authorization: '[REDACTED]',
    });
    expect(line.user).toEqual({
      password: '[REDACTED]',
      apiKey: '[REDACTED]',
      token: '[REDACTED]',
      secret: '[REDACTED]',
      name: 'ann',
    });
    expect(line.card).toEqual({ number: '[REDACTED]', brand: 'visa' });
    expect(JSON.stringify(dest.lines)).not.toContain('hunter2');
  });

  it('a child naming its own module writes that module once', () => {
    const raw: string[] = [];
    const log = createLogger({
      destination: memoryDestination(),
      module: 'http',
      onLine: (l) => raw.push(l),
      levels: new LogLevels(),
    });
    log.child({ module: 'orders', extra: 1 }).info('x');
    expect(raw[0]!.match(/"module"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0]!)).toMatchObject({ module: 'orders', extra: 1 });
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    expect(() => createLogger({ level: 'loud' as 'info' })).toThrow(/level/);
    expect(() => createLogger({ module: 'bad module!' })).toThrow(/module/);
  });
});

describe('runtime log levels', () => {
  it('cascades a module level to its existing and future child loggers and sub-modules', () => {
    const levels = new LogLevels();
    const dest = memoryDestination();
    const root = createLogger({ destination: dest, module: 'payments', levels });
    const existingChild = root.child({ requestScope: true });
    const stripe = root.child({ module: 'payments.stripe' });
    const other = createLogger({ destination: dest, module: 'orders', levels });

    existingChild.debug('hidden');
    levels.set('payments', 'debug');
    existingChild.debug('shown 1');
    stripe.debug('shown 2');
    root.child({ late: true }).debug('shown 3');
    other.debug('hidden (other module)');
    expect(dest.lines.map((l) => l.msg)).toEqual(['shown 1', 'shown 2', 'shown 3']);

    levels.set('payments.stripe', 'error');
    levels.set('payments', 'trace');
    stripe.warn('hidden: own override wins');
    expect(stripe.level).toBe('error');
    levels.reset('payments.stripe');
    expect(stripe.level).toBe('trace');
    levels.reset('payments');
    expect(existingChild.level).toBe('info');
    expect(stripe.level).toBe('info');
  });

  it('lists modules, reports changes to onChange and rejects bad input clearly', () => {
    const levels = new LogLevels();
    createLogger({ destination: memoryDestination(), module: 'db', levels });
    const changes: unknown[] = [];
    const off = levels.onChange((c) => changes.push(c));
    levels.set('db', 'warn');
    expect(levels.list()).toEqual([{ module: 'db', level: 'warn', overridden: true }]);
    levels.reset('db');
    off();
    levels.set('db', 'debug');
    expect(changes).toMatchObject([
      { module: 'db', from: 'info', to: 'warn', action: 'set' },
      { module: 'db', from: 'warn', to: 'info', action: 'reset' },
    ]);
    expect(() => levels.set('nope', 'debug')).toThrow(/Unknown log module "nope" \(known: db\)/);
    expect(() => levels.set('db', 'loud')).toThrow(LogLevelError);
    expect(() => levels.set('db', 'loud')).toThrow(/Invalid log level "loud"/);
    expect(() => levels.set('../etc', 'info')).toThrow(/Invalid module name/);
  });
});

describe('isoTime', () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes pino's isoTime byte for byte, across second, minute and year boundaries", () => {
    const instants = [0, 999, 1000, 1001, 1_763_800_000_009, 1_763_800_000_099, 1_763_800_000_100];
    instants.push(1_763_800_059_999, 1_763_800_060_000, 1_767_225_599_999, 1_767_225_600_000);
    for (let i = 0; i < 2000; i++) instants.push(Math.floor(Math.random() * 4e12));
    const now = vi.spyOn(Date, 'now');
    for (const t of instants) {
      now.mockReturnValue(t);
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    }
  });
});
