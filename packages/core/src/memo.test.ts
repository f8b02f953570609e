import { describe, expect, it } from 'vitest';
import { memoize } from './memo.js';

describe('memoize', () => {
  it('computes each key once and answers the same afterwards', () => {
    const calls: string[] = [];
    const upper = memoize((k) => {
      calls.push(k);
      return k.toUpperCase();
    }, 10);
    expect([upper('a'), upper('b'), upper('a'), upper('a')]).toEqual(['A', 'B', 'A', 'A']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('remembers falsy answers too', () => {
    let calls = 0;
    const no = memoize(() => {
      calls++;
      return false;
    }, 10);
    no('x');
    no('x');
    expect(calls).toBe(1);
  });

  it('stops remembering past max keys but still answers', () => {
    let calls = 0;
    const id = memoize((k) => {
      calls++;
      return k;
    }, 2);
    for (const k of ['a', 'b', 'c', 'c', 'a']) expect(id(k)).toBe(k);
    // a and b remembered; c computed both times
    expect(calls).toBe(4);
  });
});
