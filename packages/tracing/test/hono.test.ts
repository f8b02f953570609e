import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { getContext } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inspectorRoute, logLevelRoute, tracing } from '../src/hono.js';
import { createInspector, createLogger, initTracing, traced } from '../src/index.js';
import { LogLevels } from '../src/log-levels.js';
import { memoryDestination } from './helpers.js';

const handle = initTracing({ exporter: 'memory', sampleRatio: 1, shutdown: false });
const memory = handle.memoryExporter!;
const logs = memoryDestination();
const levels = new LogLevels();
const logger = createLogger({ destination: logs, module: 'http', levels });
const inspector = createInspector({ size: 10 });
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = new Hono();
  app.use(tracing({ logger }));
  app.get('/api/items/:id', async (c) => {
    const saved = await traced('items.load', async () => c.req.param('id'), { layer: 'service' });
    return c.json({ saved, traceId: getContext()?.traceId });
  });
  app.get('/api/boom', () => {
    throw new Error('exploded');
  });
  app.all('/admin/log-levels/*', logLevelRoute(levels, { base: '/admin/log-levels' }));
  app.get('/_dev/inspector/*', inspectorRoute(inspector, { base: '/_dev/inspector' }));
  // Hono served by @hono/node-server, each request inside core's request context.
  const fetch = withRequestContext((request: Request) => app.fetch(request));
  await new Promise<void>((resolve) => {
    server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle.close();
});
beforeEach(() => memory.reset());

async function serverSpan() {
  await handle.flush();
  return memory.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER);
}

describe('hono binding', () => {
  it('continues the incoming traceparent in a SERVER span named after the matched route', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${base}/api/items/7`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'hono-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('hono-1');
    const body = (await res.json()) as { saved: string; traceId: string };
    const root = (await serverSpan())!;
    expect(root.name).toBe('GET /api/items/:id');
    expect(root.spanContext().traceId).toBe(traceId);
    expect(root.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(root.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/items/:id',
      'url.path': '/api/items/7',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'platform.request_id': 'hono-1',
    });
    expect(body).toEqual({ saved: '7', traceId });
    const child = memory.getFinishedSpans().find((s) => s.name === 'items.load')!;
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    const line = logs.lines.find((l) => l.requestId === 'hono-1');
    expect(line).toMatchObject({ msg: 'request completed', route: '/api/items/:id', status: 200 });
    expect(line?.trace_id).toBe(traceId);
  });

  it('a thrown error: 500, status ERROR with the exception', async () => {
    expect((await fetch(`${base}/api/boom`)).status).toBe(500);
    const span = (await serverSpan())!;
    expect(span.name).toBe('GET /api/boom');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.events[0]!.attributes!['exception.message']).toBe('exploded');
  });

  it('an unmatched path is not named after any route', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const span = (await serverSpan())!;
    expect(span.name).toBe('GET');
    expect(span.attributes['http.response.status_code']).toBe(404);
    expect(span.attributes['http.route']).toBeUndefined();
  });

  it('serves the log-level and inspector routes below their mount points', async () => {
    createLogger({ destination: memoryDestination(), module: 'billing', levels });
    const put = await fetch(`${base}/admin/log-levels/billing`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'debug' }),
    });
    expect(await put.json()).toMatchObject({ module: 'billing', level: 'debug' });
    inspector.capture(JSON.stringify({ msg: 'seen', requestId: 'r-hono' }));
    const recent = await fetch(`${base}/_dev/inspector/recent`);
    expect(await recent.json()).toEqual({ logs: [expect.objectContaining({ msg: 'seen' })] });
  });
});
