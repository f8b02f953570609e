import { randomFillSync } from 'node:crypto';

/** What an incoming correlation id must look like to be accepted. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
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
  const b = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  if (now > lastMs) {
    lastMs = now;
    sequence = ((b[6] ?? 0) & 0x07) * 256 + (b[7] ?? 0);
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const ms = lastMs;
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  return (
    HEX[(hi >>> 24) & 0xff]! +
    HEX[(hi >>> 16) & 0xff]! +
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | (sequence >>> 8)]! +
    HEX[sequence & 0xff]! +
    '-' +
    HEX[0x80 | ((b[8] ?? 0) & 0x3f)]! +
    HEX[b[9] ?? 0]! +
    '-' +
    HEX[b[10] ?? 0]! +
    HEX[b[11] ?? 0]! +
    HEX[b[12] ?? 0]! +
    HEX[b[13] ?? 0]! +
    HEX[b[14] ?? 0]! +
    HEX[b[15] ?? 0]!
  );
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
