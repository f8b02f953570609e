import { describe, expect, it } from 'vitest';
import { causes, headerValue, retryAfterFrom } from './shape.js';

describe('retryAfterFrom', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it.each([
    ['retry-after seconds', { 'retry-after': '30' }, 30],
    ['retry-after-ms wins and rounds up', { 'retry-after-ms': '1200', 'retry-after': '30' }, 2],
    ['HTTP date', { 'Retry-After': 'Wed, 01 Jan 2025 00:00:10 GMT' }, 10],
    ['date in the past', { 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, 0],
    ['huge value is capped at a day', { 'retry-after': '99999999' }, 86_400],
    ['garbage', { 'retry-after': 'soon' }, undefined],
    ['missing', {}, undefined],
  ])('%s', (_name, init, expected) => {
    expect(retryAfterFrom(init, now)).toBe(expected);
    expect(retryAfterFrom(new Headers(init), now)).toBe(expected);
  });

  it('ignores non-objects', () => {
    expect(retryAfterFrom(undefined)).toBeUndefined();
    expect(retryAfterFrom('30')).toBeUndefined();
  });
});

describe('headerValue', () => {
  it('reads any-case keys, numbers and arrays', () => {
    expect(headerValue({ 'X-A': 1 }, 'x-a')).toBe('1');
    expect(headerValue({ 'x-a': ['a', 'b'] }, 'x-a')).toBe('a');
  });
});

describe('causes', () => {
  it('follows cause and stops on cycles', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causes(b)).toEqual([b, a]);
  });
});
