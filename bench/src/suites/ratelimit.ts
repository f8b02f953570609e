import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';

/**
 * Two requests, and the second must have fewer units left than the first: the limiter
 * really counts this route (a low limit would refuse), so no variant is measured idle.
 */
async function countsDown(origin: string, remaining: (headers: Headers) => number | undefined) {
  const left: (number | undefined)[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${origin}${PATH}`, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    left.push(remaining(res.headers));
  }
  const [first, second] = left;
  if (first === undefined || second === undefined || second >= first) {
    throw new Error(`GET ${PATH}: remaining units went ${first} -> ${second}, not down`);
  }
}

/** `r` of a `RateLimit` header (draft-8 / structured fields: `"name";r=7;t=60`). */
const rOf = (headers: Headers) => {
  const m = /;\s*r=(\d+)/.exec(headers.get('ratelimit') ?? '');
  return m ? Number(m[1]) : undefined;
};

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });
const ours = async (origin: string) => {
  await expectResponse(origin, PATH, {
    status: 200,
    headers: { ratelimit: /^"per-ip";r=\d+;t=\d+$/, 'ratelimit-policy': /^"per-ip";q=\d+;w=60$/ },
  });
  await countsDown(origin, rOf);
};
const expressPeer = async (origin: string) => {
  await expectResponse(origin, PATH, {
    status: 200,
    headers: { ratelimit: true, 'ratelimit-policy': true },
  });
  await countsDown(origin, rOf);
};
const fastifyPeer = async (origin: string) => {
  await expectResponse(origin, PATH, {
    status: 200,
    headers: { 'ratelimit-limit': true, 'ratelimit-remaining': true },
  });
  await countsDown(origin, (h) => {
    const v = h.get('ratelimit-remaining');
    return v === null ? undefined : Number(v);
  });
};

export default defineSuite({
  name: 'ratelimit',
  description:
    'GET /api/items/:id (small JSON) with one fixed-window per-IP limit (memory store, never reached): @platform/ratelimit vs express-rate-limit on Express 5 and vs @fastify/rate-limit on Fastify 5.',
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
      name: 'express + @platform/ratelimit',
      kind: 'express',
      server: serverUrl('ratelimit-express-ours'),
      verify: ours,
    },
    {
      name: 'express + express-rate-limit',
      kind: 'express',
      server: serverUrl('ratelimit-express-peer'),
      verify: expressPeer,
    },
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: bare,
    },
    {
      name: 'fastify + @platform/ratelimit',
      kind: 'fastify',
      server: serverUrl('ratelimit-fastify-ours'),
      verify: ours,
    },
    {
      name: 'fastify + @fastify/rate-limit',
      kind: 'fastify',
      server: serverUrl('ratelimit-fastify-peer'),
      verify: fastifyPeer,
    },
  ],
  // issue 5's goal: the HTTP middleware >= 1.2x the peer middleware
  comparisons: [
    {
      variant: 'express + @platform/ratelimit',
      against: 'express + express-rate-limit',
      goal: 1.2,
    },
    {
      variant: 'fastify + @platform/ratelimit',
      against: 'fastify + @fastify/rate-limit',
      goal: 1.2,
    },
    { variant: 'express + express-rate-limit', against: 'express bare' },
    { variant: 'fastify + @fastify/rate-limit', against: 'fastify bare' },
  ],
});
