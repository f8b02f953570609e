import { createServer, type Server } from 'node:http';
import { requestContext } from '@platform/core/express';
import express from 'express';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracing, tracingErrors } from '../src/express.js';
import {
  createLogger,
  genAiCall,
  initTracing,
  traced,
  tracedFetch,
  tracedSql,
} from '../src/index.js';
import { type FakeServer, fakeServer, listen, memoryDestination } from './helpers.js';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `tracing_t_${Math.random().toString(36).slice(2, 10)}`;

let receiver: OtlpReceiver;
let ai: FakeServer;
let integration: FakeServer;
let pool: pg.Pool;
let server: Server;
let base: string;
const logs = memoryDestination();

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  ai = await fakeServer({
    id: 'chatcmpl-1',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ finish_reason: 'stop', message: { content: 'hi' } }],
    usage: { prompt_tokens: 12, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } },
  });
  integration = await fakeServer({ ok: true });
  pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(`CREATE TABLE ${schema}.orders (id int primary key, total int)`);
  await pool.query(`INSERT INTO ${schema}.orders VALUES (7, 4200)`);
  // The OTLP exporter is an optional peer, loaded on demand: ready() says it is there.
  await initTracing({
    serviceName: 'orders-api',
    serviceVersion: '1.2.3',
    environment: 'test',
    endpoint: receiver.url,
    headers: { 'x-honeycomb-team': 'test-key' },
    batch: { scheduledDelayMillis: 50 },
  }).ready();
  const db = tracedSql(pool, { namespace: 'test' });
  const logger = createLogger({ destination: logs, module: 'orders' });
  const app = express();
  app.use(requestContext());
  app.use(tracing({ logger }));
  app.get('/api/orders/:id', async (req, res) => {
    const order = await traced(
      'orders.get',
      () =>
        traced(
          'orders.repository.load',
          async () => {
            const { rows } = await db.query(
              `SELECT id, total FROM ${schema}.orders WHERE id = $1`,
              [Number(req.params.id)],
            );
            return rows[0];
          },
          { layer: 'repository' },
        ),
      { layer: 'service' },
    );
    const summary = await genAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, async () => {
      const r = await fetch(`${ai.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      return (await r.json()) as { id: string };
    });
    const hook = await tracedFetch(`${integration.url}/hooks?api_key=s3cret&x=1`);
    logger.info({ order }, 'order served');
    res.json({ order, summary: summary.id, hook: hook.status });
  });
  app.get('/api/fail', () => {
    throw new Error('kaput');
  });
  app.use(tracingErrors());
  app.use(
    (err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: err.message });
    },
  );
  server = createServer(app);
  base = await listen(server);
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  await pool.end();
  await Promise.all([receiver.close(), ai.close(), integration.close()]);
});

describe('express request through every layer, received over OTLP/HTTP', () => {
  it('exports the SERVER span with semconv attributes and the service → repository → DB, AI and integration children', async () => {
    const res = await fetch(`${base}/api/orders/7`, {
      headers: { 'user-agent': 'vitest-agent', 'x-request-id': 'req-abc-123' },
    });
    expect(res.status).toBe(200);
    const spans = await receiver.waitFor((s) => s.some((x) => x.name === 'GET /api/orders/:id'));
    const root = spans.find((x) => x.name === 'GET /api/orders/:id')!;
    expect(root.kind).toBe(2);
    expect(root.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/api/orders/7',
      'url.scheme': 'http',
      'http.route': '/api/orders/:id',
      'http.response.status_code': 200,
      'client.address': '127.0.0.1',
      'user_agent.original': 'vitest-agent',
      'platform.request_id': 'req-abc-123',
    });
    expect(typeof root.attributes['server.port']).toBe('number');
    expect(root.resource).toMatchObject({
      'service.name': 'orders-api',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
    });
    const trace = spans.filter((s) => s.traceId === root.traceId);
    const byName = (n: string) => trace.find((s) => s.name === n);
    const service = byName('orders.get')!;
    const repo = byName('orders.repository.load')!;
    const dbSpan = byName(`SELECT ${schema}.orders`)!;
    expect(service.parentSpanId).toBe(root.spanId);
    expect(service.attributes['code.layer']).toBe('service');
    expect(repo.parentSpanId).toBe(service.spanId);
    expect(dbSpan.parentSpanId).toBe(repo.spanId);
    expect(dbSpan.kind).toBe(3);
    expect(dbSpan.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.namespace': 'test',
      'db.query.text': `SELECT id, total FROM ${schema}.orders WHERE id = $1`,
    });
    const genai = byName('chat gpt-4o-mini')!;
    expect(genai.parentSpanId).toBe(root.spanId);
    expect(genai.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const client = byName('GET')!;
    expect(client.kind).toBe(3);
    expect(client.attributes['url.full']).toBe(`${integration.url}/hooks?api_key=REDACTED&x=1`);
    expect(client.attributes['http.response.status_code']).toBe(200);
    const seen = integration.seen.at(-1)!;
    expect(seen.headers.traceparent).toBe(`00-${root.traceId}-${client.spanId}-01`);
    expect(receiver.requests[0]!.headers['x-honeycomb-team']).toBe('test-key');

    const lines = logs.lines.filter((l) => l.requestId === 'req-abc-123');
    expect(lines.map((l) => l.msg)).toEqual(['order served', 'request completed']);
    for (const line of lines) expect(line.trace_id).toBe(root.traceId);
    expect(lines[0]!.span_id).toBe(root.spanId);
    expect(lines[1]).toMatchObject({
      method: 'GET',
      route: '/api/orders/:id',
      status: 200,
      module: 'orders',
    });
    expect(typeof lines[1]!.duration_ms).toBe('number');
  });

  it('a thrown error makes a 5xx SERVER span with status ERROR, error.type and the exception event', async () => {
    const res = await fetch(`${base}/api/fail`);
    expect(res.status).toBe(500);
    const spans = await receiver.waitFor((s) => s.some((x) => x.name === 'GET /api/fail'));
    const span = spans.find((x) => x.name === 'GET /api/fail')!;
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.attributes['http.response.status_code']).toBe(500);
    expect(span.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.message': 'kaput' },
    });
    const line = logs.lines.find((l) => l.route === '/api/fail')!;
    expect(line.level).toBe('error');
    expect(line.trace_id).toBe(span.traceId);
  });

  it('continues an incoming traceparent (trace id kept) but samples by its own ratio for untrusted callers', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${base}/api/orders/7`, {
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-00`,
        'x-request-id': 'req-untrusted',
      },
    });
    const spans = await receiver.waitFor((s) =>
      s.some((x) => x.attributes['platform.request_id'] === 'req-untrusted'),
    );
    const root = spans.find((x) => x.attributes['platform.request_id'] === 'req-untrusted')!;
    expect(root.traceId).toBe(traceId);
    expect(root.parentSpanId).toBe('00f067aa0ba902b7');
  });
});
