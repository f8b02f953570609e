import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';

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
});
