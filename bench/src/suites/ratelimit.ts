import { defineSuite, expectResponse, serverUrl } from '../suite.js';

const PATH = '/api/items/42';

const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });
const ours = (origin: string) =>
  expectResponse(origin, PATH, {
    status: 200,
    headers: { ratelimit: /^"per-ip";r=\d+;t=\d+$/, 'ratelimit-policy': /^"per-ip";q=\d+;w=60$/ },
  });
const expressPeer = (origin: string) =>
  expectResponse(origin, PATH, {
    status: 200,
    headers: { ratelimit: true, 'ratelimit-policy': true },
  });
const fastifyPeer = (origin: string) =>
  expectResponse(origin, PATH, {
    status: 200,
    headers: { 'ratelimit-limit': true, 'ratelimit-remaining': true },
  });

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
});
