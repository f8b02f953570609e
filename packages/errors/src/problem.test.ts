import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  ValidationError,
} from './errors.js';
import { PlatformError } from './platform-error.js';
import { stringifyProblem, toProblem } from './problem.js';

const ctx = { requestId: 'req-1', instance: '/orders/42' };
const prod = { production: true };

describe('toProblem', () => {
  it('builds an RFC 9457 body with the request id and code', () => {
    const { status, headers, body } = toProblem(new NotFoundError('Order 42 not found'), ctx, prod);
    expect(status).toBe(404);
    expect(headers).toEqual({ 'Content-Type': 'application/problem+json' });
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      detail: 'Order 42 not found',
      instance: '/orders/42',
      requestId: 'req-1',
      code: 'not_found',
    });
  });

  it('points at no domain by default: about:blank, the code in its own member', () => {
    const err = new ConflictError('Already shipped', { code: 'order_shipped' });
    const { body } = toProblem(err, ctx, prod);
    expect(body.type).toBe('about:blank');
    expect(body.code).toBe('order_shipped');
    expect(stringifyProblem(body)).not.toMatch(/https?:/);
  });

  it("uses the host's type base and the error code", () => {
    const err = new ConflictError('Already shipped', { code: 'order_shipped' });
    const { body } = toProblem(err, ctx, { ...prod, typeBase: 'https://errors.example.com/v1' });
    expect(body.type).toBe('https://errors.example.com/v1/order_shipped');
    expect(body.code).toBe('order_shipped');
    // A tag: or urn: base is used as it is: it brings its own separator.
    const tag = toProblem(err, ctx, { ...prod, typeBase: 'tag:example.com,2026:problems:' });
    expect(tag.body.type).toBe('tag:example.com,2026:problems:order_shipped');
  });

  it('never sends an internal message, stack or cause in production', () => {
    const thrown = new Error('password=hunter2 at db.internal:5432', {
      cause: new Error('inner secret'),
    });
    const { status, body } = toProblem(thrown, ctx, prod);
    const text = stringifyProblem(body);
    expect(status).toBe(500);
    expect(body.detail).toMatch(/Something went wrong/);
    expect(text).not.toMatch(/hunter2|inner secret|stack|at .*\.ts/);
    expect(body.debug).toBeUndefined();
  });

  it('hides the message of an unexposed PlatformError but shows an exposed one', () => {
    const hidden = new PlatformError('table users is locked', { category: 'database' });
    expect(toProblem(hidden, ctx, prod).body.detail).not.toContain('locked');
    const shown = new PlatformError('Try again tomorrow', { category: 'database', expose: true });
    expect(toProblem(shown, ctx, prod).body.detail).toBe('Try again tomorrow');
  });

  it('adds debug with message, stack and cause chain in development', () => {
    const thrown = new Error('boom', { cause: Object.assign(new Error('root'), { code: 'E1' }) });
    const { body } = toProblem(thrown, ctx, { production: false });
    expect(body.debug).toEqual({
      name: 'Error',
      message: 'boom',
      stack: expect.stringContaining('problem.test.ts'),
      cause: [{ name: 'Error', message: 'root', code: 'E1' }],
    });
  });

  it('lists validation issues from zod', () => {
    const result = z.object({ email: z.email() }).safeParse({ email: 'nope' });
    const { status, body } = toProblem(result.error, ctx, prod);
    expect(status).toBe(400);
    expect(body.code).toBe('validation');
    expect(body.errors).toEqual([
      { path: 'email', message: expect.any(String), code: 'invalid_format' },
    ]);
  });

  it('sets Retry-After as integer seconds in header and body', () => {
    const { headers, body } = toProblem(
      new RateLimitError(undefined, { retryAfter: 1.2 }),
      ctx,
      prod,
    );
    expect(headers['Retry-After']).toBe('2');
    expect(body.retryAfter).toBe(2);
  });

  it('challenges 401s with the configured scheme', () => {
    const err = new AuthenticationError();
    expect(toProblem(err, ctx, prod).headers['WWW-Authenticate']).toBe('Bearer');
    expect(
      toProblem(err, ctx, { ...prod, authScheme: 'Basic realm="api"' }).headers['WWW-Authenticate'],
    ).toBe('Basic realm="api"');
    expect(
      toProblem(err, ctx, { ...prod, authScheme: false }).headers['WWW-Authenticate'],
    ).toBeUndefined();
  });

  it('copies details as extension members without overriding standard members', () => {
    const err = new ValidationError('bad', {
      details: { orderId: '42', status: 200, requestId: 'forged' },
    });
    const { body } = toProblem(err, ctx, prod);
    expect(body).toMatchObject({ orderId: '42', status: 400, requestId: 'req-1' });
  });

  it('localizes detail and title per code and per category', () => {
    const options = {
      ...prod,
      messages: {
        not_found: { en: 'Nothing here.', de: 'Hier ist nichts.' },
        unique_violation: { de: 'Gibt es schon.' },
      },
      titles: { not_found: { de: 'Nicht gefunden' } },
    };
    const de = { ...ctx, acceptLanguage: 'de-CH, en;q=0.5' };
    expect(toProblem(new NotFoundError(), de, options).body).toMatchObject({
      title: 'Nicht gefunden',
      detail: 'Hier ist nichts.',
    });
    expect(
      toProblem(new NotFoundError(), { ...ctx, acceptLanguage: 'fr' }, options).body,
    ).toMatchObject({
      title: 'Not found',
      detail: 'Nothing here.',
    });
    expect(toProblem(new NotFoundError(), { ...de, locale: 'en' }, options).body.detail).toBe(
      'Nothing here.',
    );
    const dup = new ConflictError('A record with the same unique value already exists.', {
      code: 'unique_violation',
    });
    expect(toProblem(dup, de, options).body.detail).toBe('Gibt es schon.');
    expect(toProblem(new NotFoundError('Order 42 is gone'), de, options).body.detail).toBe(
      'Order 42 is gone',
    );
  });

  it('rejects bad options naming the field', () => {
    expect(() => toProblem(new NotFoundError(), ctx, { typeBase: 'not a url' })).toThrow(
      /typeBase/,
    );
    expect(() => toProblem(new NotFoundError(), ctx, { typeBase: 'about:blank' })).toThrow(
      /typeBase: omit it for about:blank/,
    );
  });
});

describe('stringifyProblem', () => {
  it('drops extension members that cannot be serialized', () => {
    const err = new ValidationError('bad', { details: { big: 10n } });
    const { body } = toProblem(err, ctx, prod);
    const parsed = JSON.parse(stringifyProblem(body));
    expect(parsed).toMatchObject({ status: 400, requestId: 'req-1', code: 'validation' });
    expect(parsed.big).toBeUndefined();
  });
});
