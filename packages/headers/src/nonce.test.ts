import { describe, expect, it } from 'vitest';
import { createNonce } from './nonce.js';

describe('createNonce', () => {
  it('is 128 bits of base64', () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('never repeats, across pool refills', () => {
    const seen = new Set(Array.from({ length: 5000 }, () => createNonce()));
    expect(seen.size).toBe(5000);
  });
});
