import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { withRequestContext } from '@platform/core/next';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, notFoundHandler } from '../src/hono.js';

const quiet = { production: true, onError: () => {} };
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = new Hono();
  app.get('/token', () => {
    throw new HTTPException(401, { message: 'The token expired.' });
  });
  app.post('/upload', bodyLimit({ maxSize: 16 }), async (c) => c.json(await c.req.json()));
  app.get('/late', () => {
    throw new HTTPException(503, { res: new Response(null, { headers: { 'retry-after': '7' } }) });
  });
  app.notFound(notFoundHandler(quiet));
  app.onError(errorHandler(quiet));
  const fetch = withRequestContext((request: Request) => app.fetch(request));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("hono binding and Hono's own errors", () => {
  it("keeps an HTTPException's status and shows its message below 500", async () => {
    const res = await fetch(`${base}/token`, { headers: { 'x-request-id': 'h-1' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({
      status: 401,
      code: 'authentication',
      detail: 'The token expired.',
      instance: '/token',
      requestId: 'h-1',
    });
  });

  it("answers bodyLimit's 413 and keeps a Retry-After from the exception's response", async () => {
    const big = await fetch(`${base}/upload`, { method: 'POST', body: 'x'.repeat(64) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
    const late = await fetch(`${base}/late`);
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('7');
  });

  it('answers unmatched routes with a 404 problem, and HEAD without a body', async () => {
    const res = await fetch(`${base}/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found', instance: '/nothing' });
    const head = await fetch(`${base}/nothing`, { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
  });
});
