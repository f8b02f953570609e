import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, fakeServer } from '../../packages/tracing/test/helpers.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../packages/tracing/test/otlp-receiver.js';
import { type RunningApp, startApp, stopAll } from './harness.js';

/** The slice of `pg` the suite needs (passed in: this folder is not a workspace package). */
export interface PgModule {
  Pool: new (options: {
    connectionString: string;
    max?: number;
  }) => {
    query(text: string): Promise<unknown>;
    end(): Promise<void>;
  };
}

/** JSON log lines the app printed so far. */
export function logLines(app: RunningApp): Record<string, unknown>[] {
  return app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

export async function waitForLines(
  app: RunningApp,
  predicate: (lines: Record<string, unknown>[]) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = logLines(app);
    if (predicate(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`log lines not seen in time:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The tracing e2e suite shared by the Express and Fastify examples: a real OTLP/HTTP
 * receiver, a fake AI provider, a fake integration and a PostgreSQL schema of its own.
 */
export function describeTracing(cwd: string, pg: PgModule): void {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `tracing_e2e_${Math.random().toString(36).slice(2, 10)}`;
  let receiver: OtlpReceiver;
  let ai: FakeServer;
  let integration: FakeServer;
  let pool: InstanceType<PgModule['Pool']>;
  let app: RunningApp;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    ai = await fakeServer({
      id: 'chatcmpl-e2e',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ finish_reason: 'stop', message: { content: 'Two items, 12.50 EUR.' } }],
      usage: { prompt_tokens: 21, completion_tokens: 7 },
    });
    integration = await fakeServer({ ok: true });
    pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await pool.query(`CREATE SCHEMA ${schema}`);
    app = await startApp('pnpm', ['start'], {
      cwd,
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '0',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        PLATFORM_TRACING_DATABASE_URL: databaseUrl,
        PLATFORM_TRACING_DB_SCHEMA: schema,
        PLATFORM_TRACING_AI_URL: ai.url,
        PLATFORM_TRACING_INTEGRATION_URL: integration.url,
      },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    });
  });

  afterAll(async () => {
    await stopAll();
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool?.end();
    await Promise.all([receiver?.close(), ai?.close(), integration?.close()]);
  });

  const serverSpan = (requestId: string) => (spans: ReceivedSpan[]) =>
    spans.find((s) => s.kind === 2 && s.attributes['platform.request_id'] === requestId);

  describe('tracing', () => {
    it('one request: SERVER span, service → repository → DB, AI and integration children; logs share the ids', async () => {
      const requestId = `e2e-orders-${Date.now()}`;
      const res = await fetch(`${app.url}/api/orders/1/summary`, {
        headers: { 'x-request-id': requestId, 'x-tenant-id': 'acme', 'user-agent': 'e2e-agent' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        order: { id: 1, total_cents: 1250 },
        summary: 'Two items, 12.50 EUR.',
        notified: 200,
      });
      await receiver.waitFor((s) => {
        const root = serverSpan(requestId)(s);
        return !!root && s.filter((x) => x.traceId === root.traceId).length >= 6;
      });
      const root = serverSpan(requestId)(receiver.spans)!;
      expect(root.name).toBe('GET /api/orders/:id/summary');
      expect(root.attributes).toMatchObject({
        'http.request.method': 'GET',
        'url.path': '/api/orders/1/summary',
        'url.scheme': 'http',
        'http.route': '/api/orders/:id/summary',
        'http.response.status_code': 200,
        'client.address': '127.0.0.1',
        'user_agent.original': 'e2e-agent',
        'platform.tenant_id': 'acme',
      });
      expect(root.traceId).toBe(body.traceId);
      const trace = receiver.spans.filter((s) => s.traceId === root.traceId);
      const named = (name: string) => trace.find((s) => s.name === name)!;
      const service = named('orders.summary');
      const repo = named('orders.repository.find');
      const db = named(`SELECT ${schema}.demo_orders`);
      expect(service.parentSpanId).toBe(root.spanId);
      expect(repo.parentSpanId).toBe(service.spanId);
      expect(db.parentSpanId).toBe(repo.spanId);
      expect(db.attributes).toMatchObject({
        'db.system.name': 'postgresql',
        'db.operation.name': 'SELECT',
        'db.namespace': 'test',
        'db.query.text': `SELECT id, total_cents FROM ${schema}.demo_orders WHERE id = $1`,
      });
      expect(named('chat gpt-4o-mini').attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 7,
        'gen_ai.response.finish_reasons': ['stop'],
      });
      const client = named('GET');
      expect(client.attributes['url.full']).toBe(`${integration.url}/hooks/order?token=REDACTED`);
      expect(integration.seen.at(-1)!.headers.traceparent).toBe(
        `00-${root.traceId}-${client.spanId}-01`,
      );
      expect(root.resource['service.name']).toMatch(/^example-(express|fastify)$/);

      const lines = await waitForLines(app, (ls) =>
        ls.some((l) => l.requestId === requestId && l.msg === 'request completed'),
      );
      const mine = lines.filter((l) => l.requestId === requestId);
      expect(mine.map((l) => l.msg)).toEqual(['order summary built', 'request completed']);
      for (const line of mine)
        expect(line).toMatchObject({ trace_id: root.traceId, tenantId: 'acme' });
      expect(mine[0]!.span_id).toBe(service.spanId);
      expect(mine[1]).toMatchObject({
        route: '/api/orders/:id/summary',
        status: 200,
        span_id: root.spanId,
      });
    }, 30_000);

    it('whoami returns the trace id of its own SERVER span, and its log line agrees', async () => {
      const res = await fetch(`${app.url}/api/whoami`);
      const requestId = res.headers.get('x-request-id')!;
      const body = (await res.json()) as { requestId: string; traceId: string };
      expect(body.requestId).toBe(requestId);
      expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
      const spans = await receiver.waitFor((s) => !!serverSpan(requestId)(s));
      expect(serverSpan(requestId)(spans)!.traceId).toBe(body.traceId);
      const lines = await waitForLines(app, (ls) => ls.some((l) => l.requestId === requestId));
      expect(lines.find((l) => l.requestId === requestId)).toMatchObject({
        trace_id: body.traceId,
        route: '/api/whoami',
      });
    }, 30_000);

    it('a 500 is exported with status ERROR and logged at level error', async () => {
      const res = await fetch(`${app.url}/api/boom`);
      expect(res.status).toBe(500);
      const requestId = res.headers.get('x-request-id')!;
      const spans = await receiver.waitFor((s) => !!serverSpan(requestId)(s));
      const span = serverSpan(requestId)(spans)!;
      expect(span.status.code).toBe(2);
      expect(span.attributes['http.response.status_code']).toBe(500);
      const lines = await waitForLines(app, (ls) =>
        ls.some((l) => l.requestId === requestId && l.msg === 'request completed'),
      );
      expect(
        lines.find((l) => l.requestId === requestId && l.msg === 'request completed')!.level,
      ).toBe('error');
    }, 30_000);

    it('the development inspector shows one request: its log lines and span tree', async () => {
      const res = await fetch(`${app.url}/api/orders/2/summary`);
      const requestId = res.headers.get('x-request-id')!;
      await waitForLines(app, (ls) =>
        ls.some((l) => l.requestId === requestId && l.msg === 'request completed'),
      );
      const timeline = (await (
        await fetch(`${app.url}/_dev/inspector/requests/${requestId}`)
      ).json()) as {
        logs: { msg: string }[];
        spans: { name: string; children: { name: string }[] }[];
      };
      expect(timeline.logs.map((l) => l.msg)).toEqual(['order summary built', 'request completed']);
      expect(timeline.spans[0]!.name).toBe('GET /api/orders/:id/summary');
      expect(timeline.spans[0]!.children.map((c) => c.name)).toContain('orders.summary');
      const md = await (
        await fetch(`${app.url}/_dev/inspector/requests/${requestId}?format=markdown`)
      ).text();
      expect(md).toContain(`# Request ${requestId}`);
    }, 30_000);
  });
}
