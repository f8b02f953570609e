import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CiphertextError } from '../errors.js';
import { isSealed, openBytes, parseEnvelope, sealBytes } from './envelope.js';

// Known answer: a fixed key, IV, plaintext and associated data.
const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const iv = Buffer.from('000102030405060708090a0b', 'hex');
const plaintext = Buffer.from('"ada@example.com"');
const aad = 'users/42/email';
const ref = { keyId: 'k1', version: 3 };

/** The format written out by hand with raw node:crypto, as the README documents it. */
function independently(): string {
  const header = Buffer.from([0x01, 2, 0x6b, 0x31, 0, 0, 0, 3]); // v1, len 2, "k1", uint32 BE 3
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(aad)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `pe1.${Buffer.concat([header, iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

// pinned once from `independently()`: a change to the format shows here, not only in both halves
const KNOWN = 'pe1.AQJrMQAAAAMAAQIDBAUGBwgJCgtlY7J6hYC6euAx--6fihcAofqtJVG_ngKhYOfWwuOlJ6Y';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CiphertextError);
    return (error as CiphertextError).code;
  }
  throw new Error('did not throw');
};

describe('sealed value format (pe1)', () => {
  it('seals a fixed key / IV / plaintext / AAD to the bytes raw AES-256-GCM gives', () => {
    const sealed = sealBytes({ ...ref, key, iv, plaintext, aad });
    expect(sealed).toBe(independently());
    expect(sealed).toBe(KNOWN);
    expect(openBytes(KNOWN, key, aad).toString()).toBe('"ada@example.com"');
  });

  it('carries the key id and version in the clear, and is compact', () => {
    const e = parseEnvelope(KNOWN);
    expect(e).toMatchObject({ keyId: 'k1', version: 3 });
    expect(e.iv.equals(iv)).toBe(true);
    expect(e.ciphertext.length).toBe(plaintext.length);
    // prefix + base64url(8 header + 12 iv + n + 16 tag)
    expect(KNOWN.length).toBe(4 + Math.ceil(((8 + 12 + plaintext.length + 16) * 4) / 3));
  });

  it('uses a fresh IV per seal', () => {
    const a = sealBytes({ ...ref, key, plaintext, aad });
    const b = sealBytes({ ...ref, key, plaintext, aad });
    expect(a).not.toBe(b);
    expect(openBytes(a, key, aad).equals(openBytes(b, key, aad))).toBe(true);
  });

  it('refuses every tampered byte: header, IV, ciphertext and tag', () => {
    const bytes = Buffer.from(KNOWN.slice(4), 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const t = Buffer.from(bytes);
      t[i] = (t[i] as number) ^ 0x01;
      const c = code(() => openBytes(`pe1.${t.toString('base64url')}`, key, aad));
      expect(['ciphertext_rejected', 'ciphertext_malformed']).toContain(c);
    }
  });

  it('refuses other associated data and another key with a clear error', () => {
    expect(code(() => openBytes(KNOWN, key, 'users/43/email'))).toBe('ciphertext_rejected');
    expect(code(() => openBytes(KNOWN, randomBytes(32), aad))).toBe('ciphertext_rejected');
    expect(() => openBytes(KNOWN, key, 'users/43/email')).toThrow(
      /does not open for associated data "users\/43\/email"/,
    );
  });

  it('refuses what is not a sealed value', () => {
    for (const bad of [
      '',
      'hello',
      'pe1.',
      'pe1.AQ',
      'pe2.AQJrMQ',
      `pe1.${Buffer.from([9, 2]).toString('base64url')}`,
    ])
      expect(code(() => openBytes(bad, key, aad))).toBe('ciphertext_malformed');
    expect(isSealed(KNOWN)).toBe(true);
    expect(isSealed('x')).toBe(false);
    expect(isSealed(3)).toBe(false);
  });

  it('refuses bad key references and IVs when sealing', () => {
    expect(() => sealBytes({ keyId: 'bad id', version: 1, key, plaintext, aad })).toThrow(/key id/);
    expect(() => sealBytes({ keyId: 'k', version: 0, key, plaintext, aad })).toThrow(/version/);
    expect(() => sealBytes({ ...ref, key, plaintext, aad, iv: Buffer.alloc(8) })).toThrow(/iv/);
  });
});
