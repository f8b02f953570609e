import type { Server } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { rateLimit as expressRateLimit } from '../src/express.js';
import { rateLimit as fastifyRateLimit } from '../src/fastify.js';
import {
  type LimitInput,
  memoryStore,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitStore,
  rateLimiter,
} from '../src/index.js';
import { listening } from './http-support.js';

// The memory store answers synchronously, so the bindings decide without a promise; any
// other store (or an async skip, or a RateLimiter of one's own) takes the promise path.
// Both must answer the same requests with the same statuses, headers and bodies.

const NOW = 1_700_000_000_000;
const clock = () => NOW;

function asyncStore(): RateLimitStore {
  const inner = memoryStore({ clock });
  return {
    consume: async (checks) => inner.consume(checks),
    refund: async (checks) => inner.refund?.(checks),
  };
}

type Variant = (options: RateLimiterOptions) => RateLimiter;

const variants: Record<string, Variant> = {
  'memory store (synchronous)': (o) => rateLimiter({ ...o, store: memoryStore({ clock }) }),
  'asynchronous store': (o) => rateLimiter({ ...o, store: asyncStore() }),
  'asynchronous skip': (o) =>
    rateLimiter({ ...o, store: memoryStore({ clock }), skip: async () => false }),
  'a RateLimiter of its own': (o) => {
    const inner = rateLimiter({ ...o, store: memoryStore({ clock }) });
    return {
      name: inner.name,
      policies: inner.policies,
      http: inner.http,
      check: (key, options) => inner.check(key, options),
      checkSync: (key, options) => inner.checkSync(key, options),
      checkRequest: (input: LimitInput, options) => inner.checkRequest(input, options),
      refund: (target, options) => inner.refund(target, options),
      reset: (key) => inner.reset(key),
    };
  },
};

function pair(make: Variant) {
  return {
    api: make({
      name: 'api',
      policies: { name: 'per-ip', limit: 3, window: '1m', by: 'ip', algorithm: 'fixed' },
      legacyHeaders: true,
      log: false,
    }),
    ai: make({
      name: 'ai',
      policies: { name: 'ai-per-ip', limit: 1, window: '1m', by: 'ip', algorithm: 'fixed' },
      log: false,
    }),
  };
}

const NAMES = [
  'ratelimit',
  'ratelimit-policy',
  'x-ratelimit-remaining',
  'retry-after',
  'content-type',
];

/** Statuses, rate-limit headers and 429 details of a fixed sequence of requests. */
async function transcript(url: string): Promise<string[]> {
  const steps: [string, string][] = [
    ['GET', '/items'],
    ['POST', '/ai'],
    ['POST', '/ai'],
    ['GET', '/items'],
    ['GET', '/items'],
    ['HEAD', '/items'],
  ];
  const out: string[] = [];
  for (const [method, path] of steps) {
    const res = await fetch(`${url}${path}`, { method });
    const headers = NAMES.map((n) => `${n}=${res.headers.get(n)}`).join(' ');
    const body = await res.text();
    const detail =
      res.status === 429 && body ? (JSON.parse(body) as { detail: string }).detail : '';
    out.push(`${method} ${path} ${res.status} ${headers} ${detail}`);
  }
  return out;
}

async function viaExpress(make: Variant): Promise<string[]> {
  const { api, ai } = pair(make);
  const app = express();
  app.use(expressRateLimit(api));
  app.get('/items', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/ai', expressRateLimit(ai), (_req, res) => {
    res.json({ answer: 42 });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  try {
    return await transcript(await listening(server));
  } finally {
    server.close();
  }
}

async function viaFastify(make: Variant): Promise<string[]> {
  const { api, ai } = pair(make);
  const app = Fastify();
  await app.register(fastifyRateLimit, { limiters: api });
  app.get('/items', async () => ({ ok: true }));
  app.post('/ai', { config: { rateLimit: ai } }, async () => ({ answer: 42 }));
  try {
    return await transcript(await app.listen({ port: 0, host: '127.0.0.1' }));
  } finally {
    await app.close();
  }
}

describe.each([
  ['Express', viaExpress],
  ['Fastify', viaFastify],
])('%s: synchronous and asynchronous paths', (_framework, run) => {
  it('answer alike: headers, the refund of a refused route limit, 429s', async () => {
    const reference = await run(variants['memory store (synchronous)'] as Variant);
    expect(reference.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      'GET /items 200',
      'POST /ai 200',
      'POST /ai 429',
      'GET /items 200',
      'GET /items 429',
      'HEAD /items 429',
    ]);
    // the refused AI call gave its unit of the app-wide limit back
    expect(reference[3]).toContain('ratelimit="per-ip";r=0;t=60');
    expect(reference[4]).toContain('retry-after=60');
    for (const [name, make] of Object.entries(variants)) {
      expect({ name, lines: await run(make) }).toEqual({ name, lines: reference });
    }
  });
});
