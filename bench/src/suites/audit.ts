import { defineSuite, serverUrl } from '../suite.js';

const PATH = '/api/items/42';
const ok = async (origin: string) => {
  const res = await fetch(`${origin}${PATH}`, {
    method: 'POST',
    signal: AbortSignal.timeout(5000),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST ${PATH}: expected 200, got ${res.status}`);
};

export default defineSuite({
  name: 'audit',
  description:
    'POST /api/items/:id (small JSON) behind core request context + an actor, without and with @platform/audit recording one event per request (queue, batch writer, hash chain computed, no database) on Express 5 and Fastify 5.',
  request: { method: 'POST', path: PATH },
  variants: [
    {
      name: 'express, no audit',
      kind: 'express',
      baseline: true,
      server: serverUrl('audit-express-bare'),
      verify: ok,
    },
    {
      name: 'express + @platform/audit',
      kind: 'express',
      server: serverUrl('audit-express-ours'),
      verify: ok,
    },
    {
      name: 'fastify, no audit',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('audit-fastify-bare'),
      verify: ok,
    },
    {
      name: 'fastify + @platform/audit',
      kind: 'fastify',
      server: serverUrl('audit-fastify-ours'),
      verify: ok,
    },
  ],
});
