import { withRequestContext } from '@platform/core/next';
import { notFound, redirect } from 'next/navigation.js';
import { describe, expect, it } from 'vitest';
import { NotFoundError, type ProblemDetails } from '../src/index.js';
import { problemResponse, withErrorHandling } from '../src/next.js';

const quiet = { production: true, onError: () => {} };
const request = (init?: RequestInit, path = '/api/items/42') =>
  new Request(`http://localhost:3000${path}`, init);

describe('next withErrorHandling', () => {
  it('passes successful responses through untouched', async () => {
    const ok = Response.json({ ok: true });
    const handler = withErrorHandling(async () => ok, quiet);
    expect(await handler(request())).toBe(ok);
  });

  it('turns a throw into a problem Response carrying the context request id', async () => {
    const handler = withRequestContext(
      withErrorHandling(async () => {
        throw new NotFoundError('Item 42 not found');
      }, quiet),
    );
    const res = await handler(request({ headers: { 'x-request-id': 'next-req-1' } }));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('next-req-1');
    expect(await res.json()).toMatchObject({
      code: 'not_found',
      detail: 'Item 42 not found',
      requestId: 'next-req-1',
      instance: '/api/items/42',
    });
  });

  it('passes the route params argument through', async () => {
    const handler = withErrorHandling(
      async (_req: Request, ctx: { params: Promise<{ id: string }> }) =>
        Response.json(await ctx.params),
      quiet,
    );
    const res = await handler(request(), { params: Promise.resolve({ id: '42' }) });
    expect(await res.json()).toEqual({ id: '42' });
  });

  it("rethrows Next's notFound() and redirect() so Next can handle them", async () => {
    const missing = withErrorHandling(async () => notFound(), quiet);
    await expect(missing(request())).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_/),
    });
    const moved = withErrorHandling(async () => redirect('/login'), quiet);
    await expect(moved(request())).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT/),
    });
  });

  it('sends no body for HEAD', async () => {
    const handler = withErrorHandling(async () => {
      throw new Error('x');
    }, quiet);
    const res = await handler(request({ method: 'HEAD' }));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
  });

  it('without a request context, echoes a valid incoming id', async () => {
    const handler = withErrorHandling(async () => {
      throw new Error('x');
    }, quiet);
    const res = await handler(request({ headers: { 'x-request-id': 'edge-1' } }));
    expect(res.headers.get('x-request-id')).toBe('edge-1');
    expect(((await res.json()) as ProblemDetails).requestId).toBe('edge-1');
  });

  it('localizes from Accept-Language', async () => {
    const handler = withErrorHandling(
      async () => {
        throw new NotFoundError();
      },
      { ...quiet, messages: { not_found: { de: 'Nicht gefunden.' } } },
    );
    const res = await handler(request({ headers: { 'accept-language': 'de-DE,de;q=0.9' } }));
    expect(((await res.json()) as ProblemDetails).detail).toBe('Nicht gefunden.');
  });
});

describe('next problemResponse', () => {
  it('builds the problem Response for a caught error', async () => {
    const res = problemResponse(new Error('secret'), request(), quiet);
    const body = (await res.json()) as ProblemDetails;
    expect(res.status).toBe(500);
    expect(body.detail).not.toContain('secret');
    expect(res.headers.get('x-request-id')).toBe(body.requestId);
  });

  it('includes debug outside production', async () => {
    const res = problemResponse(new Error('visible in dev'), request(), {
      production: false,
      onError: () => {},
    });
    expect(((await res.json()) as ProblemDetails).debug?.message).toBe('visible in dev');
  });
});
