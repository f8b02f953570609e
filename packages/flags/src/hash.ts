const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of `key`. Unsigned result.
 * Matches the reference implementation (Austin Appleby's MurmurHash3_x86_32).
 */
export function murmur3(key: string, seed = 0): number {
  if (key.length * 3 > scratch.length) scratch = new Uint8Array(key.length * 3);
  const len = encoder.encodeInto(key, scratch).written;
  const bytes = scratch;
  let h = seed >>> 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
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
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Percentage bucket 1..100 of `"<flagKey>:<stickiness>"`: a rollout of p% admits buckets ≤ p. */
export function percentBucket(flagKey: string, stickiness: string): number {
  return (murmur3(`${flagKey}:${stickiness}`) % 100) + 1;
}

/** Variant bucket 1..10000 of `"<flagKey>:<stickiness>"`, matched against cumulative weights. */
export function variantBucket(flagKey: string, stickiness: string): number {
  return (murmur3(`${flagKey}:${stickiness}`) % 10_000) + 1;
}
