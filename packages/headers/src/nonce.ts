import { randomFillSync } from 'node:crypto';

const NONCE_BYTES = 16;
const POOL_SIZE = NONCE_BYTES * 256;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * A fresh 128-bit nonce from the CSPRNG, base64-encoded (24 characters). Random bytes are
 * drawn in 4 kB batches so a request costs one slice and one encode; every nonce still
 * uses bytes no other nonce has used.
 *
 * @example
 * const nonce = createNonce(); // 'q3X0yqS5b0m4cYHkX1p2bA=='
 */
export function createNonce(): string {
  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += NONCE_BYTES;
  return pool.toString('base64', start, offset);
}
