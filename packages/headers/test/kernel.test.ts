import {
  type ErrorInfo,
  neutralRequest,
  type PlatformLogger,
  runWithContext,
  shutdown,
} from '@platform/core';
import { describe, expect, it, vi } from 'vitest';
import { createReportReceiver, type ReportReceiverOptions } from '../src/index.js';

const REPORT = JSON.stringify({
  'csp-report': { 'document-uri': 'https://a.example/', 'effective-directive': 'img-src' },
});

function post(options: ReportReceiverOptions) {
  const receiver = createReportReceiver(options);
  const headers: Record<string, string> = { 'content-type': 'application/csp-report' };
  const request = neutralRequest({
    method: 'POST',
    url: '/csp-report',
    header: (name) => headers[name],
    body: REPORT,
  });
  const ctx = { requestId: 'r-1', method: 'POST', path: '/csp-report', startTime: Date.now() };
  return { receiver, sent: runWithContext(ctx, () => receiver.handle(request)) };
}

function recorder() {
  const lines: [string, Record<string, unknown>, string | undefined][] = [];
  const level = (name: string) => (fields: object, msg?: string) =>
    void lines.push([name, fields as Record<string, unknown>, msg]);
  const logger: PlatformLogger = {
    error: level('error'),
    warn: level('warn'),
    info: level('info'),
    debug: level('debug'),
  };
  return { lines, logger };
}

describe('the CSP receiver on the kernel', () => {
  it('hands an onViolation that throws to onError, and logs it', async () => {
    const seen: [unknown, ErrorInfo][] = [];
    const { lines, logger } = recorder();
    const { receiver, sent } = post({
      logger,
      onError: (error, info) => void seen.push([error, info]),
      onViolation: () => {
        throw new Error('sink down');
      },
    });
    expect((await sent).status).toBe(204);
    await receiver.flush();
    expect(seen).toEqual([
      [
        expect.objectContaining({ message: 'sink down' }),
        { component: '@platform/headers', code: 'HEADERS_VIOLATION_CALLBACK' },
      ],
    ]);
    expect(lines).toEqual([
      [
        'error',
        expect.objectContaining({ code: 'HEADERS_VIOLATION_CALLBACK' }),
        'onViolation threw',
      ],
    ]);
    expect(receiver.stats().callbackErrors).toBe(1);
  });

  it('logs violations at warn through a full logger, with the request id', async () => {
    const { lines, logger } = recorder();
    const { receiver, sent } = post({ logger });
    await sent;
    await receiver.close();
    expect(lines).toEqual([
      [
        'warn',
        expect.objectContaining({
          component: '@platform/headers',
          code: 'HEADERS_CSP_VIOLATION',
          requestId: 'r-1',
          effectiveDirective: 'img-src',
        }),
        'csp violation',
      ],
    ]);
  });

  it("pending groups are emitted by core's shutdown unless shutdown: false (or flushOnShutdown: false)", async () => {
    for (const [options, flushed] of [
      [{}, true],
      [{ shutdown: false }, false],
      [{ flushOnShutdown: false }, false],
    ] as const) {
      const onViolation = vi.fn();
      const { receiver, sent } = post({ ...options, onViolation, aggregateMs: 3_600_000 });
      await sent;
      const report = await shutdown({ timeoutMs: 2_000 });
      expect(report.completed.includes('csp-reports')).toBe(flushed);
      expect(onViolation).toHaveBeenCalledTimes(flushed ? 1 : 0);
      await receiver.close();
      expect(onViolation).toHaveBeenCalledTimes(1);
    }
  });
});

describe('the static-and-nonce CSP warning', () => {
  it('goes to the logger (core diagnostics) when no onWarning is given', async () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('@platform/headers.next')];
    vi.resetModules();
    const fresh = await import('../src/next.js');
    const { lines, logger } = recorder();
    fresh.nextSecurityHeaders({ contentSecurityPolicy: { nonce: false } }, { logger });
    fresh.securityHeadersForProxy({ logger });
    expect(lines).toEqual([
      [
        'warn',
        { component: '@platform/headers', code: 'HEADERS_CSP_CONFLICT' },
        expect.stringContaining('would both be sent'),
      ],
    ]);
  });
});
