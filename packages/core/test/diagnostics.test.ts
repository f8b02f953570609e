import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  diagnostics,
  manage,
  type PlatformLogger,
  setDefaultLogger,
  shutdown,
} from '../src/index.js';

function memoryLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message?: string }[] = [];
  const at = (level: string) => (fields: object, message?: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  const logger: PlatformLogger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
  };
  return { logger, lines };
}

afterEach(() => {
  setDefaultLogger(undefined);
  vi.restoreAllMocks();
});

describe('diagnostics', () => {
  it('writes pino-shaped JSON lines to stderr until a logger is set', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    diagnostics('@platform/test').warn('TEST_WARN', 'queue is full', { depth: 3 });
    diagnostics('@platform/test').debug('TEST_DEBUG', 'below info: not written');
    expect(writes).toHaveLength(1);
    const line = JSON.parse(writes[0] as string);
    expect(line).toMatchObject({
      level: 40,
      component: '@platform/test',
      code: 'TEST_WARN',
      depth: 3,
      msg: 'queue is full',
    });
  });

  it('uses the process-wide logger set later, and its own logger first', () => {
    const diag = diagnostics('@platform/test');
    const shared = memoryLogger();
    setDefaultLogger(shared.logger);
    diag.info('LATE', 'uses the logger set after creation');
    expect(shared.lines).toEqual([
      {
        level: 'info',
        fields: { component: '@platform/test', code: 'LATE' },
        message: 'uses the logger set after creation',
      },
    ]);
    const own = memoryLogger();
    diagnostics('@platform/test', { logger: own.logger }).warn('OWN', 'mine');
    expect(own.lines).toHaveLength(1);
    expect(shared.lines).toHaveLength(1);
  });

  it('hands errors to onError and survives a throwing logger or listener', () => {
    const seen: unknown[] = [];
    const broken: PlatformLogger = {
      error() {
        throw new Error('logger down');
      },
      warn() {},
      info() {},
      debug() {},
    };
    const diag = diagnostics('@platform/test', {
      logger: broken,
      onError: (error, info) => {
        seen.push(error, info);
        throw new Error('listener down');
      },
    });
    const boom = new Error('store down');
    expect(() => diag.error('STORE_DOWN', boom, undefined, { store: 'redis' })).not.toThrow();
    expect(seen).toEqual([
      boom,
      { component: '@platform/test', code: 'STORE_DOWN', store: 'redis' },
    ]);
  });
});

describe('manage', () => {
  it('closes the component at shutdown unless shutdown: false', async () => {
    const closed: string[] = [];
    manage('kept', { close: async () => void closed.push('kept') });
    manage('opted-out', { close: async () => void closed.push('opted-out') }, { shutdown: false });
    const unregister = manage('closed-by-hand', { close: async () => void closed.push('by-hand') });
    unregister();
    const report = await shutdown({ timeoutMs: 1000 });
    expect(closed).toEqual(['kept']);
    expect(report.completed).toContain('kept');
  });
});
