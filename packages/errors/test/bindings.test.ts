import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorContext, PlatformError, ProblemDetails } from '../src/index.js';
import { expressApp, fastifyApp, honoApp, nextRoute } from './apps.js';
import { closeServer, createScenarios, EXPECTED, type Scenarios } from './support.js';

interface Answer {
  status: number;
  headers: Headers;
  body: ProblemDetails;
}

type Client = (path: string, init?: RequestInit) => Promise<Answer>;

const logged: { err: PlatformError; ctx: ErrorContext }[] = [];
const onError = (err: PlatformError, _p: unknown, ctx: ErrorContext) => {
  logged.push({ err, ctx });
};

let scenarios: Scenarios;
let closeScenarios: () => Promise<void>;
const servers: Server[] = [];
const fastifies: FastifyInstance[] = [];
const clients: Record<string, Record<'production' | 'development', Client>> = {};

async function read(res: Response): Promise<Answer> {
  return { status: res.status, headers: res.headers, body: (await res.json()) as ProblemDetails };
}

const http =
  (url: string): Client =>
  async (path, init) =>
    read(await fetch(url + path, init));

beforeAll(async () => {
  ({ scenarios, close: closeScenarios } = await createScenarios());
  for (const mode of ['production', 'development'] as const) {
    const options = { production: mode === 'production', onError };
    const ex = await expressApp(scenarios, options);
    const fa = await fastifyApp(scenarios, options);
    const route = nextRoute(scenarios, options);
    const ho = await honoApp(scenarios, options);
    servers.push(ex.server, ho.server as Server);
    fastifies.push(fa.app);
    clients.express = { ...clients.express, [mode]: http(ex.url) } as Record<typeof mode, Client>;
    clients.fastify = { ...clients.fastify, [mode]: http(fa.url) } as Record<typeof mode, Client>;
    clients.hono = { ...clients.hono, [mode]: http(ho.url) } as Record<typeof mode, Client>;
    clients.next = {
      ...clients.next,
      [mode]: async (path: string, init?: RequestInit) =>
        read(await route(new Request(`http://localhost:3000${path}`, init))),
    } as Record<typeof mode, Client>;
  }
});

afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  await Promise.all(fastifies.map((app) => app.close()));
  await closeScenarios();
});

const frameworks = ['express', 'fastify', 'next', 'hono'] as const;
const cases = frameworks.flatMap((fw) => Object.keys(EXPECTED).map((s) => [fw, s] as const));
/**
 * Hono hands only `Error` instances to `app.onError`; anything else thrown leaves Hono
 * (its server answers a bare 500), so the thrown-string scenario is not Hono's to answer.
 */
const scenariosOf = (fw: (typeof frameworks)[number]) =>
  Object.keys(EXPECTED).filter((s) => fw !== 'hono' || s !== 'string');

describe.each(frameworks)('%s binding', (fw) => {
  it.each(scenariosOf(fw))('answers %s with a problem body in production', async (scenario) => {
    const expected = EXPECTED[scenario]!;
    const res = await clients[fw]!.production(`/boom/${scenario}`);
    expect(res.status).toBe(expected.status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      type: 'about:blank',
      status: expected.status,
      code: expected.code,
      instance: `/boom/${scenario}`,
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(
      /hunter2|db\.internal|a thrown string|ECONNREFUSED|duplicate key|\.ts:\d+/,
    );
    expect(res.body.debug).toBeUndefined();
  });

  it('carries debug (message, stack, cause chain) in development', async () => {
    const res = await clients[fw]!.development('/boom/upstream-down');
    expect(res.status).toBe(503);
    expect(res.body.debug).toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      stack: expect.stringContaining('fetch failed'),
      cause: [expect.objectContaining({ code: 'ECONNREFUSED' })],
    });
  });

  it('keeps a valid incoming X-Request-ID in header, body and log', async () => {
    logged.length = 0;
    const res = await clients[fw]!.production('/boom/internal', {
      headers: { 'X-Request-ID': 'trace-me-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('trace-me-123');
    expect(res.body.requestId).toBe('trace-me-123');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.ctx.requestId).toBe('trace-me-123');
    expect(logged[0]?.err.cause).toBeInstanceOf(Error);
  });

  it('sets Retry-After and WWW-Authenticate', async () => {
    const limited = await clients[fw]!.production('/boom/rate-limit');
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.body.retryAfter).toBe(30);
    const unauth = await clients[fw]!.production('/boom/unauthenticated');
    expect(unauth.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('lists field errors for zod validation', async () => {
    const res = await clients[fw]!.production('/boom/validation');
    expect(res.body.errors?.map((e) => e.path)).toEqual(['email', 'qty']);
  });
});

describe('parity', () => {
  it.each(cases.filter(([fw]) => fw === 'express').map(([, s]) => s))(
    '%s ends as the same problem body in all three frameworks (and Hono)',
    async (scenario) => {
      const init = { headers: { 'X-Request-ID': `parity-${scenario}` } };
      const bodies = await Promise.all(
        frameworks
          .filter((fw) => scenariosOf(fw).includes(scenario))
          .map(async (fw) => (await clients[fw]!.production(`/boom/${scenario}`, init)).body),
      );
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
      if (bodies[3]) expect(bodies[3]).toEqual(bodies[0]);
    },
  );
});
