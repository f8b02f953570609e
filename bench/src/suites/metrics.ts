import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });

/** After one request, /metrics must show it under `series`: the variant really records. */
const records = (series: RegExp) => async (origin: string) => {
  await expectResponse(origin, PATH, { status: 200 });
  const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200 || !series.test(text)) {
    throw new Error(`GET /metrics (${res.status}) does not show the request: ${series}`);
  }
};

const ours = records(
  /^http_server_requests_total\{[^}]*http_route="\/api\/items\/:id"[^}]*\} [1-9]/m,
);
const peer = records(/^http_request_duration_seconds_count\{[^}]*\} [1-9]/m);

export default defineSuite({
  name: 'metrics',
  description:
    'GET /api/items/:id (small JSON) on bare Express 5 / Fastify 5 vs @platform/metrics (RED histogram + counter + in-flight gauge, default process metrics) vs express-prom-bundle / fastify-metrics (their defaults plus method, path and status labels).',
  request: { path: PATH },
  variants: [
    {
      name: 'express bare',
      kind: 'express',
      baseline: true,
      server: serverUrl('express-bare'),
      verify: bare,
    },
    {
      name: 'express + @platform/metrics',
      kind: 'express',
      server: serverUrl('metrics-express-ours'),
      verify: ours,
    },
    {
      name: 'express + express-prom-bundle',
      kind: 'express',
      server: serverUrl('metrics-express-peer'),
      verify: peer,
    },
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: bare,
    },
    {
      name: 'fastify + @platform/metrics',
      kind: 'fastify',
      server: serverUrl('metrics-fastify-ours'),
      verify: ours,
    },
    {
      name: 'fastify + fastify-metrics',
      kind: 'fastify',
      server: serverUrl('metrics-fastify-peer'),
      verify: peer,
    },
  ],
});
