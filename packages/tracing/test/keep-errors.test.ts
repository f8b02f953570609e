import type { Server } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tracing } from '../src/express.js';
import { initTracing, traced } from '../src/index.js';
import { serveTraced } from './helpers.js';

// Ratio 0: nothing is head-sampled, so only the keep-errors tail decision (or a
// trusted caller's sampled flag) can export a span.
const handle = initTracing({
  exporter: 'memory',
  sampleRatio: 0,
  trustIncomingSampling: (ex) => ex.header('x-internal-caller') === 'yes',
  batch: { scheduledDelayMillis: 10 },
});
const memory = handle.memoryExporter!;
let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(requestContext());
  app.use(tracing());
  app.get('/ok', async (_req, res) => {
    await traced('work', async () => 1, { layer: 'service' });
    res.json({ ok: true });
  });
  app.get('/fail', async (_req, _res, next) => {
    try {
      await traced('work', async () => {
        throw new Error('db down');
      });
    } catch (err) {
      next(err);
    }
  });
  app.get('/five-oh-three', (_req, res) => {
    res.status(503).end();
  });
  ({ server, base } = await serveTraced(app));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await handle.shutdown();
});

beforeEach(() => memory.reset());

const exported = async () => {
  await handle.forceFlush();
  return memory.getFinishedSpans();
};

describe('keep errors at ratio 0', () => {
  it('drops successful requests', async () => {
    for (let i = 0; i < 20; i++) expect((await fetch(`${base}/ok`)).status).toBe(200);
    expect(await exported()).toHaveLength(0);
    expect(handle.keepErrors.stats.discarded).toBeGreaterThanOrEqual(20);
  });

  it('exports an exception request with its child spans, marked sampled', async () => {
    expect((await fetch(`${base}/fail`)).status).toBe(500);
    const spans = await exported();
    const root = spans.find((s) => s.name === 'GET /fail')!;
    const child = spans.find((s) => s.name === 'work')!;
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.events.some((e) => e.name === 'exception')).toBe(true);
    expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(child.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.spanContext().traceFlags & 1).toBe(1);
  });

  it('exports a 5xx response without an exception', async () => {
    expect((await fetch(`${base}/five-oh-three`)).status).toBe(503);
    const spans = await exported();
    expect(spans.map((s) => s.name)).toEqual(['GET /five-oh-three']);
    expect(spans[0]!.attributes['error.type']).toBe('503');
  });

  it('honours a sampled traceparent only from a trusted caller', async () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await fetch(`${base}/ok`, { headers: { traceparent: parent } });
    expect(await exported()).toHaveLength(0);
    await fetch(`${base}/ok`, { headers: { traceparent: parent, 'x-internal-caller': 'yes' } });
    const spans = await exported();
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /ok', 'work']);
    expect(spans[0]!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });
});
