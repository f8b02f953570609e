import { randomFillSync } from 'node:crypto';

/** What an incoming correlation id must look like to be accepted. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const DIGITS = Buffer.from('0123456789abcdef', 'latin1');
// the id is written here, then read out as one flat string; the dashes stay in place
const text = Buffer.alloc(36, '-');
const put = (at: number, byte: number) => {
  text[at] = DIGITS[byte >>> 4]!;
  text[at + 1] = DIGITS[byte & 15]!;
};
const POOL_SIZE = 16 * 256;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter that keeps
 * ids from one process monotonic within a millisecond, then 62 random bits.
 *
 * @example
 * const id = uuidv7(); // '01934f3c-7a2b-7c01-9f1e-3b5d2a8c4e6f'
 */
export function uuidv7(now: number = Date.now()): string {
  if (poolOffset + 16 > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const o = poolOffset;
  poolOffset += 16;
  if (now > lastMs) {
    lastMs = now;
    sequence = (pool[o + 6]! & 0x07) * 256 + pool[o + 7]!;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const hi = Math.floor(lastMs / 0x10000);
  const lo = lastMs % 0x10000;
  put(0, (hi >>> 24) & 0xff);
  put(2, (hi >>> 16) & 0xff);
  put(4, (hi >>> 8) & 0xff);
  put(6, hi & 0xff);
  put(9, (lo >>> 8) & 0xff);
  put(11, lo & 0xff);
  put(14, 0x70 | (sequence >>> 8));
  put(16, sequence & 0xff);
  put(19, 0x80 | (pool[o + 8]! & 0x3f));
  put(21, pool[o + 9]!);
  for (let i = 10; i < 16; i++) put(4 + 2 * i, pool[o + i]!);
  // one flat string: concatenating 36 pieces left a chain of ~20 cons strings (~0.6 KB)
  // behind every id, alive as long as the id is (request context, audit events)
  return text.toString('latin1', 0, 36);
}

/**
 * Returns `value` when it is an acceptable correlation id, else `undefined`.
 * Never throws; anything that is not a string of `[A-Za-z0-9._:-]{1,128}` is refused,
 * so CRLF, oversized and non-ASCII values can never be echoed, logged or stored.
 */
export function parseRequestId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 128) return undefined;
  return REQUEST_ID_PATTERN.test(value) ? value : undefined;
}
