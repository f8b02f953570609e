import { once } from 'node:events';
import type { AddressInfo, Server } from 'node:net';
import { expect } from 'vitest';

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN = '00f067aa0ba902b7';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: string;
}

/** Parses Prometheus text / OpenMetrics sample lines (comments skipped). */
export function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*?)\})? (\S+)(?: # (.*))?$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]), exemplar: m[4] });
  }
  return out;
}

export function find(samples: Sample[], name: string, labels: Record<string, string>): Sample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

export async function listening(server: Server): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Sends the same traffic to any framework's test app (items route, a 500, an unmatched
 * path, tenants from x-tenant) and checks what /metrics and the summary then say.
 * `route` is the framework's template for /api/items/:id.
 */
export async function checkRed(url: string, route: string): Promise<void> {
  const get = (path: string, tenant?: string) =>
    fetch(`${url}${path}`, { headers: tenant ? { 'x-tenant': tenant } : {} }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  expect(await get('/api/items/1', 'acme')).toBe(200);
  expect(await get('/api/items/2', 'acme')).toBe(200);
  expect(await get('/api/items/3')).toBe(200);
  expect(await get('/api/boom', 'acme')).toBe(500);
  expect(await get('/no/such/path/42')).toBe(404);

  const prom = await fetch(`${url}/metrics`);
  expect(prom.status).toBe(200);
  expect(prom.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await prom.text();
  const samples = parse(text);
  const items = { http_request_method: 'GET', http_route: route };
  expect(
    find(samples, 'http_server_requests_total', {
      ...items,
      status_class: '2xx',
      tenant: 'acme',
    })[0]?.value,
  ).toBe(2);
  expect(
    find(samples, 'http_server_requests_total', { ...items, status_class: '2xx', tenant: '' })[0]
      ?.value,
  ).toBe(1);
  expect(
    find(samples, 'http_server_request_duration_seconds_count', {
      ...items,
      http_response_status_code: '200',
      tenant: 'acme',
    })[0]?.value,
  ).toBe(2);
  expect(
    find(samples, 'http_server_requests_total', { status_class: '5xx', tenant: 'acme' }),
  ).toHaveLength(1);
  expect(
    find(samples, 'http_server_requests_total', { http_route: 'unmatched', status_class: '4xx' })[0]
      ?.value,
  ).toBe(1);
  expect(text).not.toContain('/api/items/1"');
  expect(text).not.toContain('/no/such/path');
  expect(
    find(samples, 'http_server_active_requests', { http_request_method: 'GET' })[0]?.value,
  ).toBeGreaterThanOrEqual(0);
  expect(text).not.toContain('trace_id'); // exemplars only in OpenMetrics

  const open = await fetch(`${url}/metrics`, {
    headers: { accept: 'application/openmetrics-text; version=1.0.0,text/plain;q=0.5' },
  });
  expect(open.headers.get('content-type')).toBe(
    'application/openmetrics-text; version=1.0.0; charset=utf-8',
  );
  const openText = await open.text();
  expect(openText.endsWith('# EOF\n')).toBe(true);
  const buckets = find(parse(openText), 'http_server_request_duration_seconds_bucket', {
    ...items,
    tenant: 'acme',
  });
  expect(
    buckets.some(
      (b) =>
        b.exemplar?.includes(`trace_id="${TRACE}"`) && b.exemplar.includes(`span_id="${SPAN}"`),
    ),
  ).toBe(true);

  const summary = await fetch(`${url}/admin/metrics/summary`);
  expect(summary.status).toBe(200);
  const body = (await summary.json()) as {
    windows: {
      '1h': {
        total: { requests: number; errors: number };
        routes: Record<string, { requests: number }>;
        tenants: Record<string, { requests: number; errors: number }>;
      };
    };
  };
  const hour = body.windows['1h'];
  expect(hour.routes[`GET ${route}`]?.requests).toBe(3);
  expect(hour.tenants.acme).toMatchObject({ requests: 3, errors: 1 });
  expect(hour.total.errors).toBe(1);
}

/** A switched-off app answers /metrics 404 with a problem body and records nothing. */
export async function checkOff(url: string): Promise<void> {
  expect((await fetch(`${url}/api/items/1`)).status).toBe(200);
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(404);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(((await res.json()) as { detail: string }).detail).toMatch(/switched off/);
}
