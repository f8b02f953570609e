import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { getContext, type RequestContext, setTenant } from './context.js';
import { requestIdForProxy, webExchange, withHeaders, withRequestContext } from './next.js';
import { ConfigError } from './options.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const request = (headers: Record<string, string> = {}, url = 'http://app.test/api/items/7?x=1') =>
  new Request(url, { headers });

describe('webExchange', () => {
  it('has no socket address: Next hides it, and X-Forwarded-For passes through whole', () => {
    const xff = '6.6.6.6, 198.51.100.7 , 10.0.0.1 ';
    const ex = webExchange(request({ 'X-Forwarded-For': xff }), new Headers());
    expect(ex.remoteAddress).toBeUndefined();
    expect(ex.header('X-Forwarded-For')).toBe(xff.trim());
  });

  it('has no socket address without X-Forwarded-For', () => {
    const ex = webExchange(request(), new Headers());
    expect(ex.remoteAddress).toBeUndefined();
    expect(ex.header('x-forwarded-for')).toBeUndefined();
  });

  it('maps method, path without query, route, headers and response headers', () => {
    const out = new Headers();
    const req = new Request('http://app.test/a/b?q=1#h', {
      method: 'POST',
      headers: { 'User-Agent': 'ua/1' },
    });
    const ex = webExchange(req, out, '/a/[id]');
    expect([ex.method, ex.path, ex.route]).toEqual(['POST', '/a/b', '/a/[id]']);
    expect(ex.header('USER-AGENT')).toBe('ua/1');
    expect(ex.header('x-missing')).toBeUndefined();
    ex.setHeader('X-Request-ID', 'abc');
    expect(out.get('x-request-id')).toBe('abc');
  });
});

describe('withRequestContext', () => {
  it('runs the handler inside the context, across awaits, and echoes the id', async () => {
    const GET = withRequestContext(
      async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
        await sleep(2);
        const { id } = await ctx.params;
        const c = getContext();
        return Response.json({ id, c, url: req.url });
      },
      { route: '/api/items/[id]' },
    );
    const res = await GET(request({ 'User-Agent': 'vitest' }), {
      params: Promise.resolve({ id: '7' }),
    });
    const body = (await res.json()) as { id: string; c: RequestContext; url: string };
    expect(body.id).toBe('7');
    expect(body.url).toBe('http://app.test/api/items/7?x=1');
    expect(body.c).toMatchObject({
      method: 'GET',
      path: '/api/items/7',
      route: '/api/items/[id]',
      userAgent: 'vitest',
    });
    expect(body.c.requestId).toMatch(V7);
    expect(res.headers.get('x-request-id')).toBe(body.c.requestId);
    expect(getContext()).toBeUndefined();
  });

  it('keeps a valid incoming id and replaces a hostile one', async () => {
    const handler = withRequestContext(() => new Response(getContext()?.requestId));
    const kept = await handler(request({ 'X-Request-ID': 'edge-42' }));
    expect(kept.headers.get('x-request-id')).toBe('edge-42');
    expect(await kept.text()).toBe('edge-42');
    for (const hostile of ['a'.repeat(10_240), 'h\u00e9llo', 'a b', '<x>']) {
      const res = await handler(request({ 'X-Request-ID': hostile }));
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(V7);
      expect(await res.text()).toBe(id);
    }
  });

  it('adds the header to an immutable Response.redirect()', async () => {
    const handler = withRequestContext(() => Response.redirect('http://app.test/login', 307));
    const res = await handler(request({ 'X-Request-ID': 'redir-1' }));
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('http://app.test/login');
    expect(res.headers.get('x-request-id')).toBe('redir-1');
  });

  it('passes a Response.error() through untouched', async () => {
    const handler = withRequestContext(() => Response.error());
    const res = await handler(request());
    expect(res.type).toBe('error');
    expect(res.headers.get('x-request-id')).toBeNull();
  });

  it('keeps the status and body of a mutable response', async () => {
    const handler = withRequestContext(
      () => new Response('created', { status: 201, headers: { 'X-Other': '1' } }),
    );
    const res = await handler(request());
    expect(res.status).toBe(201);
    expect(res.headers.get('x-other')).toBe('1');
    expect(res.headers.get('x-request-id')).toMatch(V7);
    expect(await res.text()).toBe('created');
  });

  it('reports no client IP unless trustProxy declares the proxy in front of Next', async () => {
    const ip = (options: Parameters<typeof withRequestContext>[1], xff?: string) =>
      withRequestContext(
        () => new Response(getContext()?.ip ?? 'none'),
        options,
      )(request(xff === undefined ? {} : { 'X-Forwarded-For': xff })).then((r) => r.text());
    const xff = '6.6.6.6, 198.51.100.7, 10.0.0.1';
    // A client talking to `next start` directly chooses X-Forwarded-For: never trust it.
    expect(await ip({}, xff)).toBe('none');
    expect(await ip({}, '198.51.100.7')).toBe('none');
    expect(await ip({ trustProxy: 1 }, xff)).toBe('10.0.0.1');
    expect(await ip({ trustProxy: ['10.0.0.0/8'] }, xff)).toBe('198.51.100.7');
    expect(await ip({ trustProxy: 2 }, xff)).toBe('198.51.100.7');
    expect(await ip({ trustProxy: 1 }, '::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(await ip({ trustProxy: 1 }, undefined)).toBe('none');
  });

  it('awaits an async tenant resolver and lets the handler change the tenant', async () => {
    const handler = withRequestContext(
      async () => {
        const before = getContext()?.tenantId;
        setTenant('override');
        return Response.json({ before, after: getContext()?.tenantId });
      },
      { resolveTenant: async (ex) => ex.header('x-tenant-id') },
    );
    const res = await handler(request({ 'X-Tenant-ID': 'acme' }));
    expect(await res.json()).toEqual({ before: 'acme', after: 'override' });
  });

  it('keeps concurrent requests apart', async () => {
    const handler = withRequestContext(async () => {
      const id = getContext()?.requestId;
      await sleep(Math.floor(Math.random() * 5));
      return new Response(`${id}|${getContext()?.requestId}`);
    });
    const bodies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        handler(request({ 'X-Request-ID': `r-${i}` })).then((r) => r.text()),
      ),
    );
    bodies.forEach((b, i) => {
      expect(b).toBe(`r-${i}|r-${i}`);
    });
  });

  it('lets a handler error propagate', async () => {
    const handler = withRequestContext(() => {
      throw new Error('handler failed');
    });
    await expect(handler(request())).rejects.toThrow('handler failed');
  });

  it('validates options when wrapping', () => {
    expect(() => withRequestContext(() => new Response(), { trustProxy: ['nope'] })).toThrow(
      ConfigError,
    );
  });
});

describe('withHeaders', () => {
  it('sets headers in place on a mutable response', () => {
    const res = new Response('x');
    expect(withHeaders(res, new Headers({ 'X-A': '1' }))).toBe(res);
    expect(res.headers.get('x-a')).toBe('1');
  });

  it('copies an immutable response', async () => {
    const original = Response.redirect('http://app.test/next', 302);
    const copy = withHeaders(original, new Headers({ 'X-A': '1' }));
    expect(copy).not.toBe(original);
    expect([copy.status, copy.headers.get('location'), copy.headers.get('x-a')]).toEqual([
      302,
      'http://app.test/next',
      '1',
    ]);
  });
});

describe('requestIdForProxy', () => {
  it('creates an id and forwards it on the request headers', () => {
    const ids = requestIdForProxy();
    const { requestHeaders, requestId, header } = ids(request({ Cookie: 'a=1' }));
    expect(requestId).toMatch(V7);
    expect(header).toBe('X-Request-ID');
    expect(requestHeaders.get('x-request-id')).toBe(requestId);
    expect(requestHeaders.get('cookie')).toBe('a=1');
  });

  it('keeps a valid incoming id, including one from the alias header', () => {
    const ids = requestIdForProxy();
    expect(ids(request({ 'X-Request-ID': 'cdn-1' })).requestId).toBe('cdn-1');
    const viaAlias = ids(request({ 'X-Correlation-ID': 'corr-9' }));
    expect(viaAlias.requestId).toBe('corr-9');
    expect(viaAlias.requestHeaders.get('x-request-id')).toBe('corr-9');
  });

  it('overwrites a hostile incoming id on the forwarded headers', () => {
    const hostile = 'x'.repeat(10_240);
    const { requestHeaders, requestId } = requestIdForProxy()(request({ 'X-Request-ID': hostile }));
    expect(requestId).toMatch(V7);
    expect(requestHeaders.get('x-request-id')).toBe(requestId);
  });

  it('uses a custom header and never calls a tenant resolver', () => {
    let called = false;
    const ids = requestIdForProxy({
      requestIdHeader: 'X-Trace-Ref',
      resolveTenant: () => {
        called = true;
        return 'acme';
      },
    });
    const out = ids(request({ 'X-Trace-Ref': 'ref-1' }));
    expect(out).toMatchObject({ requestId: 'ref-1', header: 'X-Trace-Ref' });
    expect(out.requestHeaders.get('x-trace-ref')).toBe('ref-1');
    expect(called).toBe(false);
  });

  it('lets the route handler behind the proxy see the same id', async () => {
    const { requestHeaders, requestId } = requestIdForProxy()(request());
    const handler = withRequestContext(() => new Response(getContext()?.requestId));
    const res = await handler(new Request('http://app.test/api', { headers: requestHeaders }));
    expect(await res.text()).toBe(requestId);
    expect(res.headers.get('x-request-id')).toBe(requestId);
  });

  it('validates options at construction', () => {
    expect(() => requestIdForProxy({ requestIdHeader: 'bad header' })).toThrow(ConfigError);
  });
});
