import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonWith } from './canonical.js';

/** The reference: a copy with its keys inserted in `Array.prototype.sort()` order, stringified. */
const sortedCopy = (o: Record<string, unknown>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    ),
  );

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' }, u: undefined }),
    ).toBe('{"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
  });

  it('matches JSON.stringify for primitives, escapes and odd numbers', () => {
    for (const v of [
      'a"b\\c\n\u2028',
      0,
      -0,
      1e21,
      1.5,
      Number.NaN,
      true,
      null,
      [undefined, 1],
      'é😀',
    ]) {
      expect(canonicalJson(v)).toBe(JSON.stringify(v));
    }
  });

  it('quotes every UTF-16 code unit, alone and inside text, exactly as JSON.stringify', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const s of [ch, `a${ch}b`]) expect(canonicalJson(s)).toBe(JSON.stringify(s));
    }
    for (const s of ['\ud83d', '\ude00x', 'x\ud83d\ude00', 'tab\there', '', 'plain-ascii_1.2:3'])
      expect(canonicalJson({ k: s })).toBe(JSON.stringify({ k: s }));
  });

  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('orders keys as Array.prototype.sort() does, short and long objects alike', () => {
    const pool = ['b', 'a', 'B', 'é', 'z1', 'z', '_x', 'ab', 'a b', '\ud83d\ude00', 'ｚ', '$'];
    for (const size of [2, 5, 12, 40, 100]) {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < size; i++) o[`${pool[(i * 7) % pool.length]}${size - i}k`] = i;
      expect(canonicalJson(o)).toBe(sortedCopy(o));
    }
  });
});

describe('canonicalJson writes into one reused list of pieces', () => {
  it('serializes inside a toJSON that serializes', () => {
    const inner = { toJSON: () => ({ inner: canonicalJson({ b: 1, a: [2, 'x'] }) }) };
    expect(canonicalJson({ z: inner, y: 1 })).toBe(
      JSON.stringify({ y: 1, z: { inner: '{"a":[2,"x"],"b":1}' } }),
    );
  });

  it('starts clean after a throw and after a document larger than the list it keeps', () => {
    expect(() => canonicalJson({ a: 'x', b: 2n })).toThrow(TypeError);
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    const big = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, `v${i}`]));
    expect(canonicalJson(big)).toBe(sortedCopy(big));
    expect(canonicalJson([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });
});

describe('canonicalJsonWith', () => {
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [
      { b: 1, a: 2 },
      { seq: 3, recordedAt: 'x' },
    ],
    [{ seq: 9, z: { y: 1, x: [2] } }, { seq: 3 }],
    [{ a: 1 }, { a: undefined, b: null }],
    [{}, { c: 1, b: 2 }],
    [
      { hash: 'stale', prevHash: 'stale' },
      { seq: 1, recordedAt: 'x' },
    ],
    [{ when: new Date(0) }, { seq: 1 }],
    [{ toJSON: () => ({ swapped: true }) }, { seq: 1 }],
  ];
  it('is canonicalJson of the spread copy, without making it', () => {
    for (const [value, overrides] of cases)
      expect(canonicalJsonWith(value, overrides)).toBe(canonicalJson({ ...value, ...overrides }));
  });

  it('adds an override whose key the value holds only as a non-enumerable property', () => {
    const value = Object.defineProperty({ a: 1 }, 'seq', { value: 9, enumerable: false });
    expect(canonicalJsonWith(value, { seq: 3 })).toBe('{"a":1,"seq":3}');
  });
});
