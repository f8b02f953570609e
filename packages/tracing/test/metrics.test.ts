import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { requestContext } from '@platform/core/express';
import { recordingMetrics } from '@platform/core/testkit';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracing } from '../src/express.js';
import { createLogger, initTracing, logDestination, traced, tracedSql } from '../src/index.js';
import { memoryDestination, serveTraced } from './helpers.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LINES = 'platform_log_lines_total';
const EXPORTED = 'platform_spans_exported_total';
const DEPTH = 'platform_spans_queue_depth';

/** An exporter that keeps the spans, or, while `stalled`, holds the export until `fail()`. */
const exported: ReadableSpan[] = [];
let stalled = false;
const held: Array<(r: ExportResult) => void> = [];
const fail = () => {
  for (const done of held.splice(0)) done({ code: 1, error: new Error('collector down') });
};
const exporter: SpanExporter = {
  export(spans, done: (r: ExportResult) => void) {
    if (stalled) return void held.push(done);
    exported.push(...spans);
    done({ code: 0 });
  },
  shutdown: async () => {},
};

const metrics = recordingMetrics();
const handle = initTracing({
  exporter,
  sampleRatio: 1,
  registerShutdown: false,
  batch: { scheduledDelayMillis: 60_000, maxQueueSize: 4, maxExportBatchSize: 4 },
});
let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
});
afterAll(async () => {
  await pool.end();
  await handle.close();
  metrics.restore();
});

describe('tracing metrics', () => {
  it('counts log lines written and sampled out over a real Express app, and times tracedSql', async () => {
    const logs = memoryDestination();
    const logger = createLogger({ destination: logs, module: 'metrics-test' });
    const db = tracedSql(pool);
    const app = express();
    app.use(requestContext());
    app.use(tracing({ logger, requestLog: { sampleRate: 0 } }));
    app.get('/orders', async (_req, res) => {
      logger.warn({ orders: 1 }, 'loading orders');
      await db.query('SELECT 1 AS one');
      res.json({ ok: true });
    });
    const { server, base } = await serveTraced(app);
    try {
      for (let i = 0; i < 2; i++) expect((await fetch(`${base}/orders`)).status).toBe(200);
    } finally {
      server.close();
    }
    expect(metrics.value(LINES, { level: 'warn', outcome: 'written' })).toBe(2);
    expect(metrics.value(LINES, { level: 'info', outcome: 'sampled_out' })).toBe(2);
    expect(logs.lines).toHaveLength(2); // the request lines were sampled out
    const queries = metrics.samples('platform_db_query_duration_seconds', {
      db_operation: 'SELECT',
    });
    expect(queries).toHaveLength(2);
    for (const q of queries) expect(q.value).toBeGreaterThan(0);
    await handle.provider.forceFlush();
  });

  it('counts lines the destination drops, by level', async () => {
    const dest = logDestination({
      dest: join(mkdtempSync(join(tmpdir(), 'tracing-metrics-')), 'out.ndjson'),
      maxBuffered: 300,
    });
    const logger = createLogger({ destination: dest, module: 'm' });
    for (let i = 0; i < 5; i++) logger.error({ pad: 'x'.repeat(100) }, 'failed');
    expect(dest.dropped).toBeGreaterThan(0);
    expect(metrics.value(LINES, { level: 'error', outcome: 'dropped' })).toBe(dest.dropped);
    expect(metrics.value(LINES, { level: 'error', outcome: 'written' })).toBe(5);
    await new Promise<void>((resolve) => dest.flush(() => resolve()));
  });

  it('reads the span queue depth and counts exports by outcome, and drops past maxQueueSize', async () => {
    metrics.clear();
    for (let i = 0; i < 3; i++) await traced(`job ${i}`, async () => {});
    expect(metrics.gaugeValue(DEPTH)).toBe(3);
    await handle.provider.forceFlush();
    expect(metrics.gaugeValue(DEPTH)).toBe(0);
    expect(metrics.value(EXPORTED, { outcome: 'success' })).toBe(3);

    // a stalled collector: one batch of 4 in flight, 4 queued behind it, the last 2 dropped
    stalled = true;
    for (let i = 0; i < 10; i++) await traced(`burst ${i}`, async () => {});
    expect(metrics.gaugeValue(DEPTH)).toBe(4);
    expect(metrics.value(EXPORTED, { outcome: 'dropped' })).toBe(2);
    fail();
    expect(metrics.value(EXPORTED, { outcome: 'failure' })).toBe(4);
    stalled = false;
    await handle.provider.forceFlush();
    expect(metrics.value(EXPORTED, { outcome: 'success' })).toBe(3 + 4);
    expect(metrics.gaugeValue(DEPTH)).toBe(0);
  });
});
