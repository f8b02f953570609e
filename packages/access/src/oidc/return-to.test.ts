import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('safeReturnTo', () => {
  it('keeps same-origin relative paths', () => {
    expect(safeReturnTo('/')).toBe('/');
    expect(safeReturnTo('/dash?tab=1#top')).toBe('/dash?tab=1#top');
    expect(safeReturnTo('/a/../b')).toBe('/b');
  });

  it.each([
    '',
    'dash',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/\tevil',
    '/x\r\nSet-Cookie: a=b',
    `/${'a'.repeat(2048)}`,
  ])('refuses %j', (value) => {
    expect(safeReturnTo(value)).toBeUndefined();
  });
});
