import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, type ErrorCategory } from './categories.js';
import { ERROR_CLASSES, TimeoutError, ValidationError } from './errors.js';
import { hasDefaultMessage, isPlatformError, PlatformError } from './platform-error.js';

const cases = Object.entries(ERROR_CLASSES) as [
  ErrorCategory,
  (typeof ERROR_CLASSES)[ErrorCategory],
][];

describe('PlatformError subclasses', () => {
  it.each(cases)('%s has its category defaults', (category, Class) => {
    const err = new Class();
    const defaults = CATEGORIES[category];
    expect(err).toBeInstanceOf(PlatformError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(Class.name);
    expect(err.category).toBe(category);
    expect(err.code).toBe(category);
    expect(err.status).toBe(defaults.status);
    expect(err.severity).toBe(defaults.severity);
    expect(err.retryable).toBe(defaults.retryable);
    expect(err.expose).toBe(defaults.status < 500);
    expect(err.message).toBe(defaults.detail);
    expect(hasDefaultMessage(err)).toBe(true);
  });

  it('has the statuses the spec names', () => {
    const statuses = Object.fromEntries(cases.map(([c, Class]) => [c, new Class().status]));
    expect(statuses).toEqual({
      authentication: 401,
      authorization: 403,
      validation: 400,
      not_found: 404,
      conflict: 409,
      payload_too_large: 413,
      unsupported_media_type: 415,
      rate_limit: 429,
      quota_exceeded: 429,
      database: 500,
      ai_service: 502,
      network: 503,
      timeout: 504,
      internal: 500,
    });
  });

  it('takes every option', () => {
    const cause = new Error('root');
    const err = new ValidationError('Invalid order', {
      code: 'order_invalid',
      status: 422,
      severity: 'medium',
      retryable: false,
      details: { orderId: '42' },
      errors: [{ path: 'qty', message: 'must be positive', code: 'too_small' }],
      cause,
    });
    expect(err).toMatchObject({
      message: 'Invalid order',
      code: 'order_invalid',
      status: 422,
      severity: 'medium',
      details: { orderId: '42' },
      errors: [{ path: 'qty', message: 'must be positive', code: 'too_small' }],
    });
    expect(err.cause).toBe(cause);
    expect(hasDefaultMessage(err)).toBe(false);
  });

  it('defaults to internal and keeps expose consistent with an overridden status', () => {
    const base = new PlatformError('x');
    expect(base).toMatchObject({
      category: 'internal',
      status: 500,
      expose: false,
      name: 'PlatformError',
    });
    expect(new PlatformError('x', { category: 'database', status: 503 }).expose).toBe(false);
    expect(new PlatformError('x', { status: 418 }).expose).toBe(true);
    expect(new PlatformError('x', { status: 500, expose: true }).expose).toBe(true);
  });

  it('rejects bad options with a ConfigError naming the field', () => {
    const bad = () =>
      new PlatformError('x', {
        status: 200,
        code: 'has space',
        retryAfter: -1,
        // @ts-expect-error not a category
        category: 'nope',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const paths = (err as ConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['category', 'code', 'retryAfter', 'status']);
    }
    // @ts-expect-error unknown option
    expect(() => new TimeoutError('x', { retryafter: 3 })).toThrow(/retryafter/);
  });
});

describe('isPlatformError', () => {
  it('recognises instances and rejects look-alikes', () => {
    expect(isPlatformError(new TimeoutError())).toBe(true);
    expect(
      isPlatformError(Object.assign(new Error('x'), { category: 'internal', status: 500 })),
    ).toBe(false);
    expect(isPlatformError(null)).toBe(false);
    expect(isPlatformError('PlatformError')).toBe(false);
  });

  it('recognises an error from another copy of the package by its registered brand', () => {
    const foreign = Object.create(Error.prototype) as Error;
    Object.defineProperty(foreign, Symbol.for('@platform/errors.PlatformError'), { value: true });
    expect(isPlatformError(foreign)).toBe(true);
  });
});
