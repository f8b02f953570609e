import { describe, expect, it } from 'vitest';
import { isPromise } from './promise.js';

class Thenable {
  // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is the case under test
  then(resolve: (v: number) => void): void {
    resolve(1);
  }
}

describe('isPromise', () => {
  it('is true for promises and other thenables, false for plain values', () => {
    expect(isPromise(Promise.resolve(1))).toBe(true);
    expect(isPromise(new Thenable() as unknown)).toBe(true);
    const notThen = Object.fromEntries([['then', 1]]);
    for (const v of [undefined, null, 0, 'then', {}, notThen, () => 1]) {
      expect(isPromise(v)).toBe(false);
    }
  });
});
