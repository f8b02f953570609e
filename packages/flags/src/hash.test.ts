import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { murmur3, percentBucket, variantBucket } from './hash.js';

const vectors = JSON.parse(
  readFileSync(new URL('../test-vectors.json', import.meta.url), 'utf8'),
) as {
  reference: { input: string; seed: number; hash: number }[];
  vectors: {
    flagKey: string;
    stickiness: string;
    input: string;
    hash: number;
    percent: number;
    variant: number;
  }[];
};

describe('murmur3 x86 32-bit', () => {
  it('matches the published reference values', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('hello')).toBe(0x248bfa47);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    for (const r of vectors.reference) expect(murmur3(r.input, r.seed), r.input).toBe(r.hash);
  });

  it('matches the shipped bucketing vectors (ASCII and multi-byte UTF-8)', () => {
    expect(vectors.vectors.length).toBeGreaterThanOrEqual(40);
    for (const v of vectors.vectors) {
      expect(murmur3(v.input), v.input).toBe(v.hash);
      expect(percentBucket(v.flagKey, v.stickiness)).toBe(v.percent);
      expect(variantBucket(v.flagKey, v.stickiness)).toBe(v.variant);
    }
  });

  it('handles strings longer than its scratch buffer', () => {
    const long = 'x'.repeat(5000);
    expect(murmur3(long)).toBe(murmur3(long));
    expect(murmur3(long)).not.toBe(murmur3(`${long}y`));
  });

  it('spreads 100k ids uniformly over 1..100 within statistical bounds', () => {
    const counts = new Array(101).fill(0);
    for (let i = 0; i < 100_000; i++) counts[percentBucket('rollout', `user-${i}`)]++;
    expect(counts[0]).toBe(0);
    // expected 1000 per bucket, sd ≈ 31.5: 5 sd bounds
    for (let b = 1; b <= 100; b++) {
      expect(counts[b]).toBeGreaterThan(840);
      expect(counts[b]).toBeLessThan(1160);
    }
    let chi = 0;
    for (let b = 1; b <= 100; b++) chi += (counts[b] - 1000) ** 2 / 1000;
    // chi-square, 99 degrees of freedom: p = 0.001 at ≈ 148
    expect(chi).toBeLessThan(148);
  });
});
