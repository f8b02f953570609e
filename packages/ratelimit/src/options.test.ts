import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { rateLimiter } from './limiter.js';
import type { RateLimiterOptions } from './options.js';

describe('rateLimiter options', () => {
  it.each([
    ['policies', {}],
    ['policies.0.window', { policies: { name: 'a', limit: 1, window: 'soon' } }],
    ['policies.0.limit', { policies: { name: 'a', limit: -1, window: '1m' } }],
    ['policies.0.limit', { policies: { name: 'a', limit: { admin: 5 }, window: '1m' } }],
    ['policies.0.name', { policies: { name: 'a b', limit: 1, window: '1m' } }],
    ['policies.0.burst', { policies: { name: 'a', limit: 1, window: '1m', burst: 3 } }],
    [
      'policies.1.name',
      {
        policies: [
          { name: 'a', limit: 1, window: '1m' },
          { name: 'a', limit: 2, window: '1h' },
        ],
      },
    ],
    ['policies.0.by', { policies: { name: 'a', limit: 1, window: '1m', by: 'cookie' } }],
    ['store', { policies: { name: 'a', limit: 1, window: '1m' }, store: {} }],
    [
      'allowList.ips.0',
      { policies: { name: 'a', limit: 1, window: '1m' }, allowList: { ips: ['10.0.0.0/'] } },
    ],
    [
      'hashKeys.secret',
      { policies: { name: 'a', limit: 1, window: '1m' }, hashKeys: { secret: 'short' } },
    ],
    [
      'typeBase',
      { policies: { name: 'a', limit: 1, window: '1m' }, problem: { typeBase: 'not a url' } },
    ],
  ])('names %s when it is invalid', (field, options) => {
    let error: unknown;
    try {
      rateLimiter(options as RateLimiterOptions);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain(field);
  });
});
