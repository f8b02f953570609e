import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, stopAll } from './harness.js';

/** The admin role through the demo headers (DEMO_HEADER_AUTH, on by default); access-suite logs in for real. */
const DEMO_ADMIN = { 'x-user-id': 'ops', 'x-user-role': 'admin' };

/** One sample line of a scrape: name, labels and value. */
function samples(
  text: string,
  name: string,
): Array<{ labels: string; value: number; exemplar?: string }> {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{.*?\})? (\S+)(?: # (.*))?$/.exec(line);
    if (m?.[1] === name) out.push({ labels: m[2] ?? '', value: Number(m[3]), exemplar: m[4] });
  }
  return out;
}

/**
 * /metrics on a running example: the request just made is there under its route template
 * and tenant (never the raw path), unmatched paths are `unmatched`, OpenMetrics carries
 * trace exemplars, and the JSON summary counts the route.
 */
export function describeMetrics(
  /** The example's directory (started with `pnpm start`), or how to start it. */
  target: string | (() => Promise<RunningApp>),
  itemsRoute: string,
  /** Whether requests no route matched pass the middleware (not in Next: Next answers them itself). */
  options: { unmatched?: boolean } = {},
): void {
  let app: RunningApp;
  beforeAll(async () => {
    app =
      typeof target === 'string'
        ? await startApp('pnpm', ['start'], {
            cwd: target,
            env: { NODE_ENV: 'production', DEMO_HEADER_AUTH: 'on', HOST: '127.0.0.1', PORT: '0' },
            ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
          })
        : await target();
  }, 180_000);
  afterAll(stopAll);

  describe('GET /metrics', () => {
    it('records RED per route template and tenant; negotiates OpenMetrics with exemplars', async () => {
      for (const path of ['/api/items', '/api/items/1', '/api/items/1', '/no/such/page/7']) {
        const res = await fetch(`${app.url}${path}`, { headers: { 'x-tenant-id': 'acme' } });
        await res.arrayBuffer();
      }
      const res = await fetch(`${app.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      const items = samples(text, 'http_server_requests_total').filter(
        (s) =>
          s.labels.includes(`http_route="${itemsRoute}"`) && s.labels.includes('tenant="acme"'),
      );
      expect(
        items.reduce((sum, s) => sum + s.value, 0),
        text,
      ).toBeGreaterThanOrEqual(2);
      if (options.unmatched !== false) {
        expect(
          samples(text, 'http_server_requests_total').some((s) =>
            s.labels.includes('http_route="unmatched"'),
          ),
        ).toBe(true);
      }
      expect(text).not.toContain('/api/items/1"');
      expect(text).not.toContain('/no/such/page');

      const open = await fetch(`${app.url}/metrics`, {
        headers: { accept: 'application/openmetrics-text' },
      });
      expect(open.headers.get('content-type')).toContain('application/openmetrics-text');
      const openText = await open.text();
      expect(openText.endsWith('# EOF\n')).toBe(true);
      const exemplars = samples(openText, 'http_server_request_duration_seconds_bucket').filter(
        (s) => s.exemplar,
      );
      expect(exemplars.some((s) => /trace_id="[0-9a-f]{32}"/.test(s.exemplar ?? ''))).toBe(true);
    });

    it('serves the JSON summary', async () => {
      const res = await fetch(`${app.url}/admin/metrics/summary`, { headers: DEMO_ADMIN });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        windows: { '1h': { routes: Record<string, { requests: number }> } };
      };
      expect(body.windows['1h'].routes[`GET ${itemsRoute}`]?.requests).toBeGreaterThanOrEqual(2);
    });

    it('tracks the API SLOs from the same requests, as JSON and as platform_slo_* series', async () => {
      const res = await fetch(`${app.url}/admin/metrics/slos`, { headers: DEMO_ADMIN });
      expect(res.status).toBe(200);
      const { slos } = (await res.json()) as {
        slos: Array<{ name: string; good: number; bad: number; error_budget_remaining: number }>;
      };
      const availability = slos.find((s) => s.name === 'api-availability');
      // the items requests above (2xx) count as good; /metrics and unmatched paths are not /api/
      expect(availability?.good).toBeGreaterThanOrEqual(2);
      expect(availability?.bad).toBe(0);
      expect(availability?.error_budget_remaining).toBe(1);
      expect(slos.map((s) => s.name)).toContain('api-latency');
      const text = await (await fetch(`${app.url}/metrics`)).text();
      expect(samples(text, 'platform_slo_objective_ratio')).toContainEqual(
        expect.objectContaining({ labels: '{slo="api-availability"}', value: 0.9995 }),
      );
    });
  });
}
