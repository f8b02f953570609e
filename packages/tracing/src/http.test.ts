import type { HttpExchange } from '@platform/core';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpTelemetry } from './http.js';
import { initTracing } from './provider.js';

const tracing = initTracing({ exporter: 'memory', registerShutdown: false });

const exchange = (header: (name: string) => string | undefined): HttpExchange => ({
  method: 'GET',
  path: '/x',
  header,
  setHeader() {},
});

describe('createHttpTelemetry never throws into the request', () => {
  it('serves the request untraced when reading the request fails', () => {
    const telemetry = createHttpTelemetry();
    const active = telemetry.start(
      exchange(() => {
        throw new Error('broken header access');
      }),
      { scheme: 'http' },
    );
    expect(active.span.isRecording()).toBe(false);
    expect(() => active.end(200)).not.toThrow();
    const ok = telemetry.start(
      exchange(() => undefined),
      { scheme: 'http' },
    );
    expect(ok.span.isRecording()).toBe(true);
    ok.end(200);
    expect(tracing.memoryExporter).toBeDefined();
  });

  it('ends the request when the logger throws', () => {
    const throwing = new Proxy({} as Logger, {
      get: () => () => {
        throw new Error('disk full');
      },
    });
    const telemetry = createHttpTelemetry({ logger: throwing });
    const active = telemetry.start(
      exchange(() => undefined),
      { scheme: 'http' },
    );
    active.fail(new Error('handler failed'));
    expect(() => active.end(500)).not.toThrow();
    expect(() => active.end(500)).not.toThrow();
  });
});
