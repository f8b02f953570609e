import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });

/** The span pipeline is live: one request with 100% sampling reaches the counting exporter. */
const exportsSpans = (withRequestId: boolean) => async (origin: string) => {
  await expectResponse(origin, PATH, {
    status: 200,
    headers: withRequestId ? { 'x-request-id': REQUEST_ID } : {},
  });
  const deadline = Date.now() + 8000;
  for (;;) {
    const res = await fetch(`${origin}/_spans`, { signal: AbortSignal.timeout(5000) });
    const { exported } = (await res.json()) as { exported: number };
    if (exported > 0) return;
    if (Date.now() > deadline) throw new Error('no span reached the exporter within 8 s');
    await new Promise((r) => setTimeout(r, 200));
  }
};

const OURS_NAMES = {
  '100': '100%',
  '10': '10%',
  '10-nokeep': '10% (keepErrors off)',
  '10-logs1': '10%, 1% of successes logged',
} as const;

const ours = (kind: 'express' | 'fastify', ratio: keyof typeof OURS_NAMES) => ({
  name: `${kind} + @platform/tracing ${OURS_NAMES[ratio]}`,
  kind,
  server: serverUrl(`tracing-${kind}-ours-${ratio}`),
  verify:
    ratio === '100'
      ? exportsSpans(true)
      : (origin: string) =>
          expectResponse(origin, PATH, { status: 200, headers: { 'x-request-id': REQUEST_ID } }),
});

const peer = (kind: 'express' | 'fastify', ratio: '100' | '10') => ({
  name: `${kind} + OTel ${kind === 'express' ? 'http+express instr. + pino-http' : 'http instr. + @fastify/otel + logger'} ${ratio}%`,
  kind,
  server: serverUrl(`tracing-${kind}-peer-${ratio}`),
  verify: ratio === '100' ? exportsSpans(false) : bare,
});

export default defineSuite({
  name: 'tracing',
  description:
    'GET /api/items/:id with a SERVER span per request and one request log line (pino to /dev/null), spans to a counting no-op exporter: bare Express 5 / Fastify 5 vs @platform/core + @platform/tracing vs the OpenTelemetry instrumentation setup, at 100% and 10% sampling.',
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
      name: 'express + core (reference)',
      kind: 'express',
      server: serverUrl('express-core-errors'),
      verify: bare,
    },
    ours('express', '100'),
    ours('express', '10'),
    ours('express', '10-nokeep'),
    ours('express', '10-logs1'),
    peer('express', '100'),
    peer('express', '10'),
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: bare,
    },
    {
      name: 'fastify + core (reference)',
      kind: 'fastify',
      server: serverUrl('fastify-core-errors'),
      verify: bare,
    },
    ours('fastify', '100'),
    ours('fastify', '10'),
    ours('fastify', '10-nokeep'),
    ours('fastify', '10-logs1'),
    peer('fastify', '100'),
    peer('fastify', '10'),
  ],
  // issue 4's goals: >= 2.5x the OpenTelemetry setup at 100%, >= 0.85 of bare at 10%
  comparisons: (['express', 'fastify'] as const).flatMap((kind) => [
    { variant: ours(kind, '100').name, against: peer(kind, '100').name, goal: 2.5 },
    { variant: ours(kind, '10').name, against: `${kind} bare`, goal: 0.85 },
    { variant: ours(kind, '10-logs1').name, against: `${kind} bare`, goal: 0.85 },
  ]),
});
