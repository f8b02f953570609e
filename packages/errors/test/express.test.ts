import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../src/express.js';
import type { ProblemDetails } from '../src/index.js';
import { expressApp } from './apps.js';
import { baseUrl, closeServer, createScenarios } from './support.js';

let app: Awaited<ReturnType<typeof expressApp>>;
let closeScenarios: () => Promise<void>;
const logged: string[] = [];

beforeAll(async () => {
  const made = await createScenarios();
  closeScenarios = made.close;
  app = await expressApp(made.scenarios, {
    production: true,
    onError: (err) => void logged.push(err.code),
  });
});

afterAll(async () => {
  await closeServer(app.server);
  await closeScenarios();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/echo`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('express errorHandler', () => {
  it.each([
    ['malformed JSON', () => post('{"a":'), 400, 'invalid_body'],
    [
      'a body over the limit',
      () => post(JSON.stringify({ a: 'x'.repeat(500) })),
      413,
      'payload_too_large',
    ],
    [
      'an unknown content-encoding',
      () => post('{}', { 'content-encoding': 'x-unknown' }),
      415,
      'unsupported_encoding',
    ],
  ])('answers %s from express.json() with a problem', async (_name, send, status, code) => {
    const res = await send();
    const body = (await res.json()) as ProblemDetails;
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({
      status,
      code,
      requestId: res.headers.get('x-request-id'),
      instance: '/echo',
    });
    expect(JSON.stringify(body)).not.toMatch(/Unexpected|position|x-unknown/);
  });

  it("keeps the router's 400 for a route parameter that does not decode, in our wording", async () => {
    const res = await fetch(`${app.url}/boom/%E0%A4%A`);
    const body = (await res.json()) as ProblemDetails;
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 400, code: 'bad_request', instance: '/boom/%E0%A4%A' });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    expect(body.detail ?? '').not.toMatch(/decode|%E0/);
    expect(JSON.stringify(body)).not.toMatch(/URIError|stack/);
  });

  it('answers an unsupported charset from express.json() with a 415 problem', async () => {
    const res = await post('{}', { 'content-type': 'application/json; charset=x-unknown' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ProblemDetails).code).toBe('unsupported_charset');
  });

  it('answers unmatched routes with a 404 problem through notFoundHandler()', async () => {
    const res = await fetch(`${app.url}/nowhere?q=1`);
    const body = (await res.json()) as ProblemDetails;
    expect(res.status).toBe(404);
    expect(body).toMatchObject({
      code: 'not_found',
      instance: '/nowhere',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('hands the error to Express once headers are sent', async () => {
    logged.length = 0;
    const res = await fetch(`${app.url}/late`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    await res.text().catch(() => '');
    expect(logged).toEqual([]);
  });

  it('works without requestContext: echoes a valid incoming id, or makes one', async () => {
    const bare = express();
    bare.get('/', () => {
      throw new Error('boom');
    });
    bare.use(notFoundHandler());
    bare.use(errorHandler({ production: true, onError: () => {} }));
    const server = bare.listen(0, '127.0.0.1');
    const url = await baseUrl(server);
    try {
      const echoed = await fetch(url, { headers: { 'x-request-id': 'from-proxy-1' } });
      expect(echoed.headers.get('x-request-id')).toBe('from-proxy-1');
      expect(((await echoed.json()) as ProblemDetails).requestId).toBe('from-proxy-1');
      const fresh = await fetch(url, { headers: { 'x-request-id': '<script>' } });
      const body = (await fresh.json()) as ProblemDetails;
      expect(body.requestId).toMatch(/^[0-9a-f]{8}-/);
      expect(fresh.headers.get('x-request-id')).toBe(body.requestId);
    } finally {
      await closeServer(server);
    }
  });

  it('fails fast on bad options', () => {
    expect(() => errorHandler({ typeBase: 'nope' })).toThrow(/typeBase/);
  });
});
