import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type OtlpReceiver,
  startOtlpReceiver,
} from '../../../packages/tracing/test/otlp-receiver.js';
import { type RunningApp, stopAll } from '../../test-support/harness.js';
import { waitForLines } from '../../test-support/tracing-suite.js';
import { startNext } from './next-app.js';

let receiver: OtlpReceiver;
let app: RunningApp;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  app = await startNext({
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    // `next start` is production (default ratio 0.1): sample everything for the test
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '1',
  });
});

afterAll(async () => {
  await stopAll();
  await receiver?.close();
});

describe('tracing (Next)', () => {
  it('the handler sees the trace id of its SERVER span; the request log line agrees', async () => {
    const res = await fetch(`${app.url}/api/trace-context`, {
      headers: { 'x-request-id': 'next-trace-1' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { requestId: string; traceId: string; spanId: string };
    expect(body.requestId).toBe('next-trace-1');
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await receiver.waitFor((s) =>
      s.some((x) => x.attributes['platform.request_id'] === 'next-trace-1'),
    );
    const span = spans.find((x) => x.attributes['platform.request_id'] === 'next-trace-1')!;
    expect(span).toMatchObject({
      name: 'GET /api/trace-context',
      kind: 2,
      traceId: body.traceId,
      spanId: body.spanId,
    });
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/trace-context',
      'url.path': '/api/trace-context',
      'http.response.status_code': 200,
    });
    expect(span.resource).toMatchObject({
      'service.name': 'example-next',
      'deployment.environment.name': 'production',
    });
    const lines = await waitForLines(app, (ls) => ls.some((l) => l.requestId === 'next-trace-1'));
    expect(lines.find((l) => l.requestId === 'next-trace-1')).toMatchObject({
      msg: 'request completed',
      trace_id: body.traceId,
      span_id: body.spanId,
      status: 200,
      route: '/api/trace-context',
    });
  }, 30_000);

  it('whoami returns the trace id of its own SERVER span', async () => {
    const res = await fetch(`${app.url}/api/whoami`);
    const id = res.headers.get('x-request-id')!;
    const body = (await res.json()) as { requestId: string; traceId: string };
    expect(body.requestId).toBe(id);
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await receiver.waitFor((s) =>
      s.some((x) => x.attributes['platform.request_id'] === id),
    );
    expect(spans.find((x) => x.attributes['platform.request_id'] === id)!.traceId).toBe(
      body.traceId,
    );
  }, 30_000);

  it('a 500 is exported with status ERROR; Next’s own spans are not exported twice', async () => {
    const res = await fetch(`${app.url}/api/boom`);
    expect(res.status).toBe(500);
    const id = res.headers.get('x-request-id')!;
    const spans = await receiver.waitFor((s) =>
      s.some((x) => x.attributes['platform.request_id'] === id),
    );
    const span = spans.find((x) => x.attributes['platform.request_id'] === id)!;
    expect(span.status.code).toBe(2);
    expect(spans.filter((s) => s.scope === 'next.js')).toEqual([]);
    expect(spans.filter((s) => s.kind === 2 && s.traceId === span.traceId)).toHaveLength(1);
  }, 30_000);
});
