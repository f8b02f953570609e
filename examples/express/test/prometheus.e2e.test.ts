import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusTool, promtoolCheckMetrics } from '../../../test/support/prometheus.js';
import { freePort, type RunningApp, startApp, stopAll } from '../../test-support/harness.js';
import {
  eventually,
  type PromSample,
  type RunningPrometheus,
  startPrometheus,
} from '../../test-support/prometheus.js';

const prometheus = prometheusTool('prometheus');
const promtool = prometheusTool('promtool');
const PER_USER = 5;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const one = (samples: PromSample[]) => samples[0]?.value;

describe.skipIf(prometheus.skip)(
  `a real Prometheus scrapes the Express example${prometheus.why}`,
  () => {
    let app: RunningApp;
    let prom: RunningPrometheus;
    let job: string;

    beforeAll(async () => {
      const binary = prometheus.require();
      const port = await freePort();
      // both at once: Prometheus retries the scrape every second until the app listens
      [app, prom] = await Promise.all([
        startApp('pnpm', ['start'], {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          env: {
            NODE_ENV: 'production',
            DEMO_HEADER_AUTH: 'on',
            HOST: '127.0.0.1',
            PORT: String(port),
            RATE_LIMIT_PER_MINUTE: String(PER_USER),
          },
          ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
        }),
        startPrometheus({ binary, target: `127.0.0.1:${port}`, job: 'example-express' }),
      ]);
      job = `job="${prom.job}",instance="127.0.0.1:${port}"`;
    });
    afterAll(async () => {
      await prom?.stop();
      await stopAll();
    });

    it('finds the request, duration, rate-limit and audit series and a trace exemplar through its HTTP API', async () => {
      const traceIds = new Set<string>();
      const read = async () => {
        const traceId = hex(16);
        traceIds.add(traceId);
        const res = await fetch(`${app.url}/api/items/1`, {
          headers: {
            'x-user-id': 'reader',
            'x-tenant-id': 'acme',
            traceparent: `00-${traceId}-${hex(8)}-01`,
          },
        });
        await res.arrayBuffer();
        return res.status;
      };
      for (let i = 0; i < PER_USER; i++) expect(await read()).toBe(200);
      for (let i = 0; i < 3; i++) expect(await read()).toBe(429);
      const write = await fetch(`${app.url}/api/items`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-user-id': 'writer',
          'x-tenant-id': 'acme',
        },
        body: JSON.stringify({ name: 'Cable', price: 3 }),
      });
      expect(write.status).toBe(201);

      const route = `${job},http_route="/api/items/:id"`;
      const durations = await prom.until(
        `http_server_request_duration_seconds_count{${route}}`,
        (s) => s.length > 0 && one(s) === PER_USER,
      );
      expect(durations).toHaveLength(1);
      expect(durations[0]?.metric).toMatchObject({
        http_request_method: 'GET',
        http_response_status_code: '200',
        tenant: 'acme',
      });

      const requests = await prom.until(
        `sum by (status_class) (http_server_requests_total{${job},http_request_method="GET",tenant="acme"})`,
        (s) => s.length === 2,
      );
      expect(Object.fromEntries(requests.map((s) => [s.metric.status_class, s.value]))).toEqual({
        '2xx': PER_USER,
        '4xx': 3,
      });
      expect(
        one(
          await prom.query(
            `http_server_requests_total{${job},http_request_method="POST",http_route="/api/items",status_class="2xx",tenant="acme"}`,
          ),
        ),
      ).toBe(1);

      const refused = await prom.until(
        `platform_ratelimit_decisions_total{${job},outcome="refused"}`,
        (s) => one(s) === 3,
      );
      expect(refused[0]?.metric).toMatchObject({ limiter: 'api', policy: 'per-user' });

      // the POST's audit event is written in a batch of its own shortly after the response
      await prom.until(`platform_audit_batches_written_total{${job}}`, (s) => (one(s) ?? 0) >= 1);
      expect(one(await prom.query(`platform_audit_queue_depth{${job}}`))).toBeGreaterThanOrEqual(0);

      // Prometheus scrapes OpenMetrics (its Accept header asks for it) and keeps the exemplars
      const stored = await eventually(
        'an exemplar on the /api/items/:id duration buckets',
        () => prom.exemplars(`http_server_request_duration_seconds_bucket{${route}}`),
        (series) => series.some((s) => s.exemplars.length > 0),
      );
      const exemplars = stored.flatMap((s) => s.exemplars);
      for (const exemplar of exemplars) {
        expect(traceIds).toContain(exemplar.labels.trace_id);
        expect(exemplar.labels.span_id).toMatch(/^[0-9a-f]{16}$/);
        expect(Number(exemplar.value)).toBeGreaterThan(0);
      }
      expect(stored.every((s) => s.seriesLabels.le !== undefined)).toBe(true);
    }, 45_000);

    it.skipIf(promtool.skip)(
      `promtool check metrics passes on the whole of /metrics, process metrics included${promtool.why}`,
      async () => {
        const bin = promtool.require();
        const res = await fetch(`${app.url}/metrics`);
        expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
        const text = await res.text();
        expect(text).toContain('\nhttp_server_request_duration_seconds_bucket{');
        expect(text).toContain('\nplatform_ratelimit_decisions_total{');
        expect(text).toContain('\nnodejs_active_handles{');
        expect(await promtoolCheckMetrics(bin, text)).toEqual({ code: 0, problems: [] });

        // and promtool does flag a misnamed series, so the check above means something
        const bad = await promtoolCheckMetrics(bin, '# TYPE queue_total gauge\nqueue_total 1\n');
        expect(bad.code).not.toBe(0);
        expect(bad.problems.join('\n')).toContain('queue_total');
      },
    );
  },
);
