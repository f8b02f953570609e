const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of `key`. Unsigned result.
 * Matches the reference implementation (Austin Appleby's MurmurHash3_x86_32).
 */
export function murmur3(key: string, seed = 0): number {
  const len = key.length;
  let h = seed >>> 0;
  const blocks = len & ~3;
  // Hot path: ASCII hashes straight from char codes; anything else goes through UTF-8 bytes.
  for (let i = 0; i < blocks; i += 4) {
    const c0 = key.charCodeAt(i);
    const c1 = key.charCodeAt(i + 1);
    const c2 = key.charCodeAt(i + 2);
    const c3 = key.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) > 0x7f) return murmurBytes(key, seed);
    h = mixBlock(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  const tail = len & 3;
  if (tail === 0) return fmix(h, len);
  const t0 = key.charCodeAt(blocks);
  const t1 = tail >= 2 ? key.charCodeAt(blocks + 1) : 0;
  const t2 = tail === 3 ? key.charCodeAt(blocks + 2) : 0;
  if ((t0 | t1 | t2) > 0x7f) return murmurBytes(key, seed);
  return fmix(h ^ scramble(t0 | (t1 << 8) | (t2 << 16)), len);
}

/** MurmurHash3's scramble of one block: multiply, rotate left by 15, multiply. */
function scramble(k: number): number {
  const m = Math.imul(k, 0xcc9e2d51);
  return Math.imul((m << 15) | (m >>> 17), 0x1b873593);
}

/** Mixes one whole 4-byte block into the hash. */
function mixBlock(hash: number, k: number): number {
  const h = hash ^ scramble(k);
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function fmix(hash: number, len: number): number {
  let h = hash ^ len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function murmurBytes(key: string, seed: number): number {
  if (key.length * 3 > scratch.length) scratch = new Uint8Array(key.length * 3);
  const len = encoder.encodeInto(key, scratch).written;
  const bytes = scratch;
  let h = seed >>> 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(
      h,
      bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24),
    );
  }
  let k = 0;
  switch (len & 3) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: the reference tail falls through
    case 3:
      k ^= bytes[blocks + 2]! << 16;
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: the reference tail falls through
    case 2:
      k ^= bytes[blocks + 1]! << 8;
    case 1:
      k ^= bytes[blocks]!;
      h ^= scramble(k);
  }
  return fmix(h, len);
}

/** Percentage bucket 1..100 of `"<flagKey>:<stickiness>"`: a rollout of p% admits buckets ≤ p. */
export function percentBucket(flagKey: string, stickiness: string): number {
  return (murmur3(`${flagKey}:${stickiness}`) % 100) + 1;
}

/** Variant bucket 1..10000 of `"<flagKey>:<stickiness>"`, matched against cumulative weights. */
export function variantBucket(flagKey: string, stickiness: string): number {
  return (murmur3(`${flagKey}:${stickiness}`) % 10_000) + 1;
}
