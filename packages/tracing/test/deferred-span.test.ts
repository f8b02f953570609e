import type { Server } from 'node:http';
import {
  context as otelContext,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { getContext } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tracing } from '../src/express.js';
import { createLogger, initTracing, traced } from '../src/index.js';
import { LogLevels } from '../src/log-levels.js';
import { memoryDestination, serveTraced } from './helpers.js';

// Ratio 0: no request is head-sampled, so every span below is the deferred SERVER
// span of an unsampled request, built only when keep-errors exports it.
const handle = initTracing({
  exporter: 'memory',
  sampleRatio: 0,
  batch: { scheduledDelayMillis: 10 },
  registerShutdown: false,
});
const memory = handle.memoryExporter!;
const logs = memoryDestination();
let server: Server;
let base: string;
const seen: Record<string, { traceId?: string; traceparent: string }> = {};

const remember = (name: string) => {
  const carrier: Record<string, string> = {};
  propagation.inject(otelContext.active(), carrier);
  seen[name] = { traceId: getContext()?.traceId, traceparent: carrier.traceparent! };
};

beforeAll(async () => {
  const app = express();
  app.use(requestContext());
  app.use(
    tracing({
      logger: createLogger({ module: 'http', destination: logs, levels: new LogLevels() }),
    }),
  );
  app.get('/ok', async (_req, res) => {
    remember('ok');
    await traced('work', async () => 1);
    res.json({ ok: true });
  });
  app.get('/slow-fail', async (_req, _res, next) => {
    remember('slow-fail');
    const span = trace.getActiveSpan()!;
    span.setAttribute('order.id', '42');
    span.addEvent('loaded', { rows: 3 });
    await new Promise((r) => setTimeout(r, 40));
    await traced('work', async () => 1).catch(() => {});
    next(new Error('db down'));
  });
  app.get('/marked', (_req, res) => {
    trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'bad data' });
    res.json({ ok: true });
  });
  ({ server, base } = await serveTraced(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await handle.shutdown();
});

beforeEach(() => {
  memory.reset();
  logs.lines.length = 0;
});

const exported = async () => {
  await handle.forceFlush();
  return memory.getFinishedSpans();
};

describe('unsampled requests', () => {
  it('build no span, leave nothing waiting, and still carry their ids', async () => {
    const discarded = handle.keepErrors.stats.discarded;
    for (let i = 0; i < 10; i++) expect((await fetch(`${base}/ok`)).status).toBe(200);
    expect(await exported()).toHaveLength(0);
    expect(handle.keepErrors.stats.discarded - discarded).toBe(10);
    const line = logs.lines.at(-1)!;
    const { traceId, traceparent } = seen.ok!;
    expect(line.trace_id).toBe(traceId);
    expect(traceparent).toBe(`00-${traceId}-${line.span_id}-00`);
  });

  it('that fail are exported with their start time, attributes, calls made on them and children', async () => {
    const before = Date.now();
    expect((await fetch(`${base}/slow-fail`)).status).toBe(500);
    const after = Date.now();
    const spans = await exported();
    const root = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const child = spans.find((s) => s.name === 'work')!;
    const line = logs.lines.at(-1)!;
    expect(root.name).toBe('GET /slow-fail');
    expect(root.spanContext().traceId).toBe(seen['slow-fail']!.traceId);
    expect(root.spanContext().spanId).toBe(line.span_id);
    expect(root.spanContext().traceFlags & 1).toBe(1);
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    const startMs = root.startTime[0] * 1000 + root.startTime[1] / 1e6;
    const durationMs = root.duration[0] * 1000 + root.duration[1] / 1e6;
    expect(startMs).toBeGreaterThanOrEqual(before - 1);
    expect(startMs).toBeLessThanOrEqual(after);
    expect(durationMs).toBeGreaterThanOrEqual(39);
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/slow-fail',
      'url.scheme': 'http',
      'client.address': '127.0.0.1',
      'platform.request_id': line.requestId,
      'http.route': '/slow-fail',
      'http.response.status_code': 500,
      'error.type': 'Error',
      'order.id': '42',
    });
    expect(root.attributes['server.port']).toBe(Number(new URL(base).port));
    expect(root.events.map((e) => e.name)).toEqual(['loaded', 'exception']);
    const loadedMs = root.events[0]!.time[0] * 1000 + root.events[0]!.time[1] / 1e6;
    expect(loadedMs - startMs).toBeLessThan(durationMs - 30);
  });

  it('whose span the application marked as failed are kept like before', async () => {
    expect((await fetch(`${base}/marked`)).status).toBe(200);
    const spans = await exported();
    expect(spans.map((s) => s.name)).toEqual(['GET /marked']);
    expect(spans[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad data' });
    expect(spans[0]!.attributes['http.response.status_code']).toBe(200);
  });
});
