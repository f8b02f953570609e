import { describe, expect, it } from 'vitest';
import type { RequestContext } from './context.js';
import type { HttpExchange } from './exchange.js';
import { ConfigError } from './options.js';
import { createRequestContext, type RequestContextOptions } from './request-context.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A plain in-memory HttpExchange: request headers in, response headers out. */
function exchange(
  headers: Record<string, string> = {},
  init: Partial<Pick<HttpExchange, 'method' | 'path' | 'route' | 'remoteAddress'>> = {},
) {
  const request = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const response = new Map<string, string>();
  const ex: HttpExchange = {
    method: init.method ?? 'GET',
    path: init.path ?? '/items/7',
    route: init.route,
    remoteAddress: 'remoteAddress' in init ? init.remoteAddress : '127.0.0.1',
    header: (name) => request.get(name.toLowerCase()),
    setHeader: (name, value) => {
      response.set(name.toLowerCase(), value);
    },
  };
  return { ex, response };
}

function beginSync(options: RequestContextOptions, headers: Record<string, string> = {}) {
  const { ex, response } = exchange(headers);
  const ctx = createRequestContext(options).begin(ex);
  if (ctx instanceof Promise) throw new Error('expected a synchronous begin');
  return { ctx, response };
}

function configError(options: unknown): ConfigError {
  try {
    createRequestContext(options as RequestContextOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('createRequestContext options', () => {
  it('accepts no options at all', () => {
    expect(createRequestContext().header).toBe('X-Request-ID');
    expect(createRequestContext(undefined).header).toBe('X-Request-ID');
  });

  it.each([
    ['requestIdHeader', { requestIdHeader: 'X Request ID' }],
    ['requestIdHeader', { requestIdHeader: 'X-Request-ID\r\nX-Evil' }],
    ['requestIdHeader', { requestIdHeader: '' }],
    ['requestIdHeader', { requestIdHeader: 'x'.repeat(65) }],
    ['requestIdAliases.1', { requestIdAliases: ['X-Ok', 'bad header'] }],
    ['trustIncomingId', { trustIncomingId: 'yes' }],
    ['generateId', { generateId: 'uuid' }],
    ['trustProxy', { trustProxy: -1 }],
    ['trustProxy', { trustProxy: 1.5 }],
    ['trustProxy', { trustProxy: true }],
    ['trustProxy', { trustProxy: 'loopback' }],
    ['trustProxy.1', { trustProxy: ['loopback', '10.0.0.0/33'] }],
    ['trustProxy.0', { trustProxy: ['10.0.0.0/'] }],
    ['proxyHeader', { proxyHeader: 'x-real-ip' }],
    ['resolveTenant', { resolveTenant: 'x-tenant-id' }],
    ['onResolveError', { onResolveError: console }],
  ])('names %s', (field, options) => {
    const err = configError(options);
    expect(err.message).toContain(`requestContext`);
    expect(err.message).toContain(`- ${field}:`);
    expect(err.issues.map((i) => i.path)).toContain(field);
  });

  it('names the bad trustProxy entry itself', () => {
    const err = configError({ trustProxy: ['10.0.0.0/8', 'proxy.internal'] });
    expect(err.message).toContain('"proxy.internal"');
    expect(err.message).not.toContain('"10.0.0.0/8"');
  });

  it('reports every bad field in one error', () => {
    const err = configError({ requestIdHeader: 'a b', trustProxy: ['x', 'y'], proxyHeader: 1 });
    expect(err.issues.map((i) => i.path).sort()).toEqual([
      'proxyHeader',
      'requestIdHeader',
      'trustProxy.0',
      'trustProxy.1',
    ]);
  });
});

describe('request id', () => {
  it('accepts a valid incoming id and echoes it', () => {
    const { ctx, response } = beginSync({}, { 'X-Request-ID': 'abc-123.x:y' });
    expect(ctx.requestId).toBe('abc-123.x:y');
    expect(response.get('x-request-id')).toBe('abc-123.x:y');
  });

  it('creates a UUIDv7 when none came in', () => {
    const { ctx, response } = beginSync({});
    expect(ctx.requestId).toMatch(V7);
    expect(response.get('x-request-id')).toBe(ctx.requestId);
  });

  it('accepts the X-Correlation-ID alias and echoes it as X-Request-ID', () => {
    const { ctx, response } = beginSync({}, { 'X-Correlation-ID': 'corr-1' });
    expect(ctx.requestId).toBe('corr-1');
    expect(response.get('x-request-id')).toBe('corr-1');
    expect(response.has('x-correlation-id')).toBe(false);
  });

  it('prefers the primary header over the alias', () => {
    const { ctx } = beginSync({}, { 'X-Request-ID': 'primary', 'X-Correlation-ID': 'alias' });
    expect(ctx.requestId).toBe('primary');
  });

  it('lets the first header present decide: an invalid primary id is not rescued by the alias', () => {
    const { ctx } = beginSync({}, { 'X-Request-ID': 'bad id', 'X-Correlation-ID': 'alias' });
    expect(ctx.requestId).toMatch(V7);
  });

  it('uses a custom header and alias list', () => {
    const engine = createRequestContext({ requestIdHeader: 'X-Trace-Ref', requestIdAliases: [] });
    expect(engine.header).toBe('X-Trace-Ref');
    const { ex, response } = exchange({ 'x-trace-ref': 'ref-1' });
    expect((engine.begin(ex) as RequestContext).requestId).toBe('ref-1');
    expect(response.get('x-trace-ref')).toBe('ref-1');
    const other = exchange({ 'X-Correlation-ID': 'corr-1' });
    expect((engine.begin(other.ex) as RequestContext).requestId).toMatch(V7);
  });

  it('ignores incoming ids when trustIncomingId is false', () => {
    const { ctx, response } = beginSync(
      { trustIncomingId: false },
      { 'X-Request-ID': 'abc', 'X-Correlation-ID': 'def' },
    );
    expect(ctx.requestId).toMatch(V7);
    expect(response.get('x-request-id')).toBe(ctx.requestId);
  });

  it('uses a custom generator', () => {
    let n = 0;
    const engine = createRequestContext({ generateId: () => `gen-${++n}` });
    expect((engine.begin(exchange().ex) as RequestContext).requestId).toBe('gen-1');
    expect((engine.begin(exchange({ 'X-Request-ID': '' }).ex) as RequestContext).requestId).toBe(
      'gen-2',
    );
    expect((engine.begin(exchange({ 'X-Request-ID': 'in' }).ex) as RequestContext).requestId).toBe(
      'in',
    );
  });

  it('falls back to a UUIDv7 when the custom generator throws or returns a bad id', () => {
    for (const generateId of [
      () => {
        throw new Error('generator broke');
      },
      () => 'bad id\r\n',
      () => 42 as unknown as string,
    ]) {
      const { ctx, response } = beginSync({ generateId });
      expect(ctx.requestId).toMatch(V7);
      expect(response.get('x-request-id')).toBe(ctx.requestId);
    }
  });

  it.each([
    ['CRLF', 'abc\r\nSet-Cookie: session=evil'],
    ['10 kB', 'a'.repeat(10_240)],
    ['129 characters', 'b'.repeat(129)],
    ['non-ASCII', 'héllo-wörld'],
    ['space', 'abc def'],
    ['markup', '<script>alert(1)</script>'],
    ['empty', ''],
  ])('never echoes a hostile id (%s)', (_, hostile) => {
    for (const header of ['X-Request-ID', 'X-Correlation-ID']) {
      const { ctx, response } = beginSync({}, { [header]: hostile });
      expect(ctx.requestId).toMatch(V7);
      expect(response.get('x-request-id')).toBe(ctx.requestId);
      expect([...response.values()].join('\n')).not.toContain(hostile || '\u0000');
    }
  });
});

describe('exchange fields', () => {
  it('copies method, path and route and stamps the start time', () => {
    const { ex } = exchange({}, { method: 'POST', path: '/a/b', route: '/a/:id' });
    const before = Date.now();
    const ctx = createRequestContext().begin(ex) as RequestContext;
    expect(ctx).toMatchObject({ method: 'POST', path: '/a/b', route: '/a/:id' });
    expect(ctx.startTime).toBeGreaterThanOrEqual(before);
    expect(ctx.startTime).toBeLessThanOrEqual(Date.now());
  });

  it('truncates the user agent at 512 characters', () => {
    expect(beginSync({}, { 'User-Agent': 'u'.repeat(2000) }).ctx.userAgent).toBe('u'.repeat(512));
    expect(beginSync({}, { 'User-Agent': 'curl/8' }).ctx.userAgent).toBe('curl/8');
    expect(beginSync({}).ctx.userAgent).toBeUndefined();
  });

  it('resolves the client address through trusted proxies only', () => {
    const xff = { 'X-Forwarded-For': '6.6.6.6, 198.51.100.7' };
    expect(beginSync({}, xff).ctx.ip).toBe('127.0.0.1');
    expect(beginSync({ trustProxy: ['loopback'] }, xff).ctx.ip).toBe('198.51.100.7');
    expect(beginSync({ trustProxy: 2 }, xff).ctx.ip).toBe('6.6.6.6');
    expect(beginSync({ trustProxy: (a) => a === '127.0.0.1' }, xff).ctx.ip).toBe('198.51.100.7');
  });

  it('reads Forwarded when configured', () => {
    const headers = {
      Forwarded: 'for="[2001:db8::1]:4711";proto=https',
      'X-Forwarded-For': '6.6.6.6',
    };
    const { ctx } = beginSync({ trustProxy: 1, proxyHeader: 'forwarded' }, headers);
    expect(ctx.ip).toBe('2001:db8::1');
  });

  it('normalizes an IPv4-mapped socket address and tolerates a missing one', () => {
    const mapped = exchange({}, { remoteAddress: '::ffff:192.0.2.1' });
    expect((createRequestContext().begin(mapped.ex) as RequestContext).ip).toBe('192.0.2.1');
    const none = exchange({}, { remoteAddress: undefined });
    expect((createRequestContext().begin(none.ex) as RequestContext).ip).toBeUndefined();
  });
});

describe('resolveTenant', () => {
  const fromHeader = (ex: HttpExchange) => ex.header('x-tenant-id');

  it('sets a valid tenant from a synchronous resolver, synchronously', () => {
    const { ctx } = beginSync({ resolveTenant: fromHeader }, { 'X-Tenant-ID': 'acme.eu-1' });
    expect(ctx.tenantId).toBe('acme.eu-1');
    expect(beginSync({ resolveTenant: fromHeader }).ctx.tenantId).toBeUndefined();
  });

  it('sets a valid tenant from an async resolver', async () => {
    const engine = createRequestContext({
      resolveTenant: async (ex) => {
        await new Promise((r) => setTimeout(r, 1));
        return ex.header('x-tenant-id');
      },
    });
    const started = engine.begin(exchange({ 'X-Tenant-ID': 'acme' }).ex);
    expect(started).toBeInstanceOf(Promise);
    expect((await started).tenantId).toBe('acme');
  });

  it.each([
    ['a space', 'acme corp'],
    ['129 characters', 't'.repeat(129)],
    ['empty', ''],
    ['CRLF', 'acme\r\nx'],
    ['non-ASCII', 'acmé'],
    ['a number', 42],
    ['an object', { id: 'acme' }],
    ['null', null],
  ])('drops an invalid tenant (%s), sync and async', async (_, value) => {
    const sync = beginSync({ resolveTenant: () => value as string });
    expect(sync.ctx.tenantId).toBeUndefined();
    const engine = createRequestContext({ resolveTenant: async () => value as string });
    expect((await engine.begin(exchange().ex)).tenantId).toBeUndefined();
  });

  it('goes on without a tenant when an async resolver does not settle in resolveTimeoutMs', async () => {
    const errors: unknown[] = [];
    const engine = createRequestContext({
      resolveTenant: () => new Promise<string>(() => {}),
      resolveTimeoutMs: 20,
      onResolveError: (err) => errors.push(err),
    });
    const ctx = await engine.begin(exchange().ex);
    expect(ctx.tenantId).toBeUndefined();
    expect(String(errors[0])).toContain('did not settle within 20 ms');
  });

  it('accepts a thenable that is not a native Promise', async () => {
    // biome-ignore lint/suspicious/noThenProperty: the point of the test is a foreign thenable
    const thenable = { then: (ok: (v: string) => void) => ok('acme') };
    const engine = createRequestContext({
      resolveTenant: () => thenable as unknown as Promise<string>,
    });
    expect((await engine.begin(exchange().ex)).tenantId).toBe('acme');
  });

  it('reports a throwing resolver and serves the request without a tenant', () => {
    const errors: unknown[] = [];
    const boom = new Error('tenant lookup failed');
    const { ctx, response } = beginSync({
      resolveTenant: () => {
        throw boom;
      },
      onResolveError: (err) => errors.push(err),
    });
    expect(ctx.tenantId).toBeUndefined();
    expect(ctx.requestId).toMatch(V7);
    expect(response.get('x-request-id')).toBe(ctx.requestId);
    expect(errors).toEqual([boom]);
  });

  it('reports a rejecting resolver and serves the request without a tenant', async () => {
    const errors: unknown[] = [];
    const engine = createRequestContext({
      resolveTenant: () => Promise.reject(new Error('db down')),
      onResolveError: (err) => errors.push(err),
    });
    const ctx = await engine.begin(exchange().ex);
    expect(ctx.tenantId).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('db down');
  });

  it('survives a failing resolver without an onResolveError, or with one that throws', async () => {
    const reject = () => Promise.reject(new Error('x'));
    const throwing = () => {
      throw new Error('x');
    };
    const bad = () => {
      throw new Error('reporter broke');
    };
    for (const resolveTenant of [reject, throwing]) {
      for (const onResolveError of [undefined, bad]) {
        const ctx = await createRequestContext({ resolveTenant, onResolveError }).begin(
          exchange().ex,
        );
        expect(ctx.requestId).toMatch(V7);
        expect(ctx.tenantId).toBeUndefined();
      }
    }
  });
});
