import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { getContext } from '@platform/core';
import { requestContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tracing } from '../src/fastify.js';
import { createLogger, initTracing, traced } from '../src/index.js';
import { LogLevels } from '../src/log-levels.js';
import { withTracing } from '../src/next.js';
import { memoryDestination } from './helpers.js';

const handle = initTracing({
  exporter: 'memory',
  sampleRatio: 1,
  batch: { scheduledDelayMillis: 10 },
});
const memory = handle.memoryExporter!;
const logs = memoryDestination();
const logger = createLogger({ destination: logs, levels: new LogLevels() });
const app = Fastify();
let base: string;

beforeAll(async () => {
  await app.register(requestContext);
  await app.register(tracing, { logger });
  app.addHook('onRequest', async (req) => {
    const tenant = req.headers['x-tenant-id'];
    if (typeof tenant === 'string') getContext()!.tenantId = tenant;
  });
  app.post<{ Params: { id: string } }>('/api/items/:id', async (req) => {
    const child = await traced('items.save', async () => 'saved', { layer: 'service' });
    logger.info({ body: req.body }, 'saving');
    return { child, traceId: getContext()?.traceId };
  });
  app.get('/api/boom', async () => {
    throw new Error('exploded');
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await handle.shutdown();
});
beforeEach(() => memory.reset());

const exported = async () => {
  await handle.forceFlush();
  return memory.getFinishedSpans();
};

describe('fastify binding', () => {
  it('a POST with a body: SERVER span with route + tenant, child span parented after body parsing, trace id in context and logs', async () => {
    const res = await fetch(`${base}/api/items/9`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' },
      body: JSON.stringify({ name: 'x' }),
    });
    const body = (await res.json()) as { traceId: string };
    const requestId = res.headers.get('x-request-id');
    const spans = await exported();
    const root = spans.find((s) => s.kind === SpanKind.SERVER)!;
    const child = spans.find((s) => s.name === 'items.save')!;
    expect(root.name).toBe('POST /api/items/:id');
    expect(root.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/items/:id',
      'url.path': '/api/items/9',
      'http.response.status_code': 200,
      'platform.request_id': requestId,
      'platform.tenant_id': 'acme',
    });
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(body.traceId).toBe(root.spanContext().traceId);
    const lines = logs.lines.filter((l) => l.requestId === requestId);
    expect(lines.map((l) => l.msg)).toEqual(['saving', 'request completed']);
    for (const l of lines) expect(l.trace_id).toBe(body.traceId);
    expect(lines[1]).toMatchObject({ tenantId: 'acme', status: 200, route: '/api/items/:id' });
  });

  it('a thrown error: 500, status ERROR with the exception', async () => {
    expect((await fetch(`${base}/api/boom`)).status).toBe(500);
    const [span] = await exported();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events[0]!.attributes!['exception.message']).toBe('exploded');
  });
});

describe('next binding', () => {
  it('wraps a route handler in a SERVER span named after the route template', async () => {
    const handler = withRequestContext(
      withTracing(async () => Response.json({ traceId: getContext()?.traceId }, { status: 201 }), {
        route: '/api/items/[id]',
      }),
      { route: '/api/items/[id]' },
    );
    const res = await handler(
      new Request('http://localhost:3000/api/items/4', { headers: { 'x-request-id': 'next-1' } }),
    );
    const body = (await res.json()) as { traceId: string };
    const [span] = await exported();
    expect(span!.name).toBe('GET /api/items/[id]');
    expect(span!.attributes).toMatchObject({
      'http.route': '/api/items/[id]',
      'server.port': 3000,
      'http.response.status_code': 201,
      'platform.request_id': 'next-1',
    });
    expect(body.traceId).toBe(span!.spanContext().traceId);
  });

  it('records a thrown exception as a 500', async () => {
    const handler = withRequestContext(
      withTracing(async () => {
        throw new TypeError('bad');
      }),
    );
    await expect(handler(new Request('http://localhost/x'))).rejects.toThrow('bad');
    const [span] = await exported();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('TypeError');
  });
});
