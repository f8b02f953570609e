import { type ErrorListener, type PlatformLogger, runWithContext } from '@platform/core';
import { describe, expect, it, vi } from 'vitest';
import { NotFoundError } from './errors.js';
import { createErrorResponder, type ErrorContext, type ErrorExchange } from './responder.js';

function exchange(headers: Record<string, string> = {}, path = '/api/items'): ErrorExchange {
  return { method: 'GET', path, header: (name) => headers[name.toLowerCase()] };
}

const quiet = { onError: () => {}, production: true };

describe('createErrorResponder', () => {
  it('takes the request id from the open request context and leaves its header alone', () => {
    const respond = createErrorResponder(quiet);
    const ctx = { requestId: 'ctx-id', method: 'GET', path: '/api/items', startTime: Date.now() };
    const res = runWithContext(ctx, () =>
      respond(new NotFoundError(), exchange({ 'x-request-id': 'other' })),
    );
    expect(res.body.requestId).toBe('ctx-id');
    expect(res.headers['X-Request-ID']).toBeUndefined();
    expect(res.body.instance).toBe('/api/items');
  });

  it('without a context, uses a valid incoming id and echoes it', () => {
    const respond = createErrorResponder(quiet);
    const res = respond(new NotFoundError(), exchange({ 'x-request-id': 'abc-123' }));
    expect(res.body.requestId).toBe('abc-123');
    expect(res.headers['X-Request-ID']).toBe('abc-123');
  });

  it('without a context, replaces an invalid incoming id with a fresh one', () => {
    const respond = createErrorResponder(quiet);
    const res = respond(new NotFoundError(), exchange({ 'x-request-id': 'bad\r\nid' }));
    expect(res.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['X-Request-ID']).toBe(res.body.requestId);
  });

  it('reports the categorized error with the request id to onError', () => {
    const seen: [string, number, ErrorContext][] = [];
    const respond = createErrorResponder({
      production: true,
      onError: (err, problem, ctx) => {
        seen.push([err.code, problem.status, ctx]);
      },
    });
    const thrown = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    respond(thrown, { ...exchange({ 'x-request-id': 'r-9' }), route: '/api/items/:id' });
    expect(seen).toEqual([
      [
        'network',
        503,
        {
          requestId: 'r-9',
          method: 'GET',
          path: '/api/items',
          route: '/api/items/:id',
          context: undefined,
        },
      ],
    ]);
  });

  it('survives a hook that throws or rejects', async () => {
    const throwing = createErrorResponder({
      production: true,
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(throwing(new Error('x'), exchange()).status).toBe(500);
    const rejecting = createErrorResponder({
      production: true,
      onError: async () => Promise.reject(new Error('no')),
    });
    expect(rejecting(new Error('x'), exchange()).status).toBe(500);
    await new Promise((r) => setImmediate(r));
  });

  it('picks the locale with a function of Accept-Language', () => {
    const respond = createErrorResponder({
      ...quiet,
      messages: { not_found: { de: 'Nicht gefunden.', fr: 'Introuvable.' } },
      locale: (acceptLanguage) => (acceptLanguage?.includes('fr') ? 'fr' : 'de'),
    });
    expect(respond(new NotFoundError(), exchange({ 'accept-language': 'fr-CA' })).body.detail).toBe(
      'Introuvable.',
    );
    expect(respond(new NotFoundError(), exchange({})).body.detail).toBe('Nicht gefunden.');
  });

  it('fails fast on bad options, naming each field', () => {
    expect(() =>
      createErrorResponder({
        // @ts-expect-error not a function
        onError: 'log',
        defaultLocale: 'not a tag!',
      }),
    ).toThrow(/onError[\s\S]*defaultLocale|defaultLocale[\s\S]*onError/);
  });

  it('writes 5xx errors to stderr by default', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((line) => {
      lines.push(String(line));
      return true;
    });
    try {
      createErrorResponder({ production: true })(
        new Error('db down'),
        exchange({ 'x-request-id': 'r-1' }),
      );
      createErrorResponder({ production: true })(new NotFoundError(), exchange());
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 50,
      msg: 'request failed',
      component: '@platform/errors',
      requestId: 'r-1',
      status: 500,
      severity: 'high',
      causes: [{ name: 'InternalError' }, { name: 'Error', message: 'db down' }],
    });
  });

  it('logs 5xx errors to the given logger, and also hands every error to onError', () => {
    const logged: [string, object, string | undefined][] = [];
    const line = (level: string) => (fields: object, message?: string) =>
      void logged.push([level, fields, message]);
    const logger: PlatformLogger = {
      error: line('error'),
      warn: line('warn'),
      info: line('info'),
      debug: line('debug'),
    };
    const seen: unknown[] = [];
    const onError: ErrorListener = (error, info) => void seen.push([error, info]);
    const respond = createErrorResponder({ production: true, logger, onError });
    respond(new Error('db down'), exchange({ 'x-request-id': 'r-2' }));
    respond(new NotFoundError(), exchange({ 'x-request-id': 'r-3' }));
    expect(logged).toEqual([
      [
        'error',
        expect.objectContaining({
          component: '@platform/errors',
          code: 'ERRORS_REQUEST_FAILED',
          requestId: 'r-2',
          status: 500,
          errorCode: 'internal',
        }),
        'request failed',
      ],
    ]);
    expect(seen).toEqual([
      [
        expect.objectContaining({ code: 'internal' }),
        expect.objectContaining({ component: '@platform/errors', requestId: 'r-2', status: 500 }),
      ],
      [
        expect.objectContaining({ code: 'not_found' }),
        expect.objectContaining({ component: '@platform/errors', requestId: 'r-3', status: 404 }),
      ],
    ]);
  });
});
