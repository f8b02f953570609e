import { requestContext } from '@platform/core/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../src/fastify.js';
import type { ProblemDetails } from '../src/index.js';
import { fastifyApp } from './apps.js';
import { createScenarios } from './support.js';

let app: FastifyInstance;
let url: string;
let closeScenarios: () => Promise<void>;

beforeAll(async () => {
  const made = await createScenarios();
  closeScenarios = made.close;
  ({ app, url } = await fastifyApp(made.scenarios, { production: true, onError: () => {} }));
});

afterAll(async () => {
  await app.close();
  await closeScenarios();
});

async function problem(res: Response): Promise<ProblemDetails> {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as ProblemDetails;
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  return body;
}

const post = (body: string, type = 'application/json') =>
  fetch(`${url}/orders`, { method: 'POST', body, headers: { 'content-type': type } });

describe('fastify errorHandler', () => {
  it('answers schema validation failures with field errors', async () => {
    const res = await post(JSON.stringify({ qty: 0 }));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.code).toBe('validation');
    expect(body.errors).toEqual([
      { path: 'sku', message: "must have required property 'sku'", code: 'required' },
    ]);
  });

  it.each([
    [
      'an unsupported content type',
      () => post('<order/>', 'application/xml'),
      415,
      'unsupported_media_type',
    ],
    [
      'a body over bodyLimit',
      () => post(JSON.stringify({ sku: 'x'.repeat(500) })),
      413,
      'payload_too_large',
    ],
    ['malformed JSON', () => post('{"sku":'), 400, 'invalid_body'],
    ['an empty JSON body', () => post(''), 400, 'invalid_body'],
  ])('answers %s', async (_name, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(await problem(res)).toMatchObject({ status, code, instance: '/orders' });
  });

  it('keeps the 400 for a route parameter that does not decode', async () => {
    const res = await fetch(`${url}/boom/%E0%A4%A`);
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.status).toBe(400);
    expect(JSON.stringify(body)).not.toMatch(/stack|FST_ERR/);
  });

  it('answers unmatched routes with a 404 problem', async () => {
    const res = await fetch(`${url}/nowhere?x=1`);
    expect(res.status).toBe(404);
    expect(await problem(res)).toMatchObject({ code: 'not_found', instance: '/nowhere' });
  });

  it('applies app-wide, also inside encapsulated child plugins', async () => {
    const root = Fastify();
    await root.register(requestContext);
    await root.register(errorHandler, { production: true, onError: () => {} });
    await root.register(
      async (child) => {
        child.get('/fail', async () => {
          throw new Error('inside a child scope');
        });
      },
      { prefix: '/child' },
    );
    const res = await root.inject({ method: 'GET', url: '/child/fail' });
    await root.close();
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'internal', requestId: res.headers['x-request-id'] });
  });

  it('leaves the 404 handler alone with notFound: false', async () => {
    const root = Fastify();
    await root.register(errorHandler, { notFound: false, onError: () => {} });
    const res = await root.inject({ method: 'GET', url: '/nowhere' });
    await root.close();
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('fails fast on bad options', async () => {
    const root = Fastify();
    await expect(root.register(errorHandler, { defaultLocale: '!!' }).ready()).rejects.toThrow(
      /defaultLocale/,
    );
  });
});
