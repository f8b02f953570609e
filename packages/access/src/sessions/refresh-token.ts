import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Refresh tokens are `<session id>.<generation>.<mac>`: the MAC (HMAC-SHA256 under a key
 * derived from the sessions secret) makes them unforgeable without a store lookup, and the
 * store keeps no secret at all, only the current generation. An older generation coming back
 * is the reuse signal that revokes the family.
 */
export interface RefreshCodec {
  encode(sessionId: string, generation: number): string;
  /** The parts of a well-formed token with a valid MAC, or undefined. */
  decode(token: string): { sessionId: string; generation: number } | undefined;
}

const SHAPE = /^([A-Za-z0-9_-]{22})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/;

export function refreshCodec(secret: Uint8Array): RefreshCodec {
  const key = Buffer.from(
    hkdfSync('sha256', secret, new Uint8Array(0), '@platform/access refresh token', 32),
  );
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    encode: (sessionId, generation) =>
      `${sessionId}.${generation}.${mac(`${sessionId}.${generation}`).toString('base64url')}`,
    decode(token) {
      const m = typeof token === 'string' ? SHAPE.exec(token) : null;
      if (!m) return undefined;
      const [, sessionId, gen, given] = m as unknown as [string, string, string, string];
      const expected = mac(`${sessionId}.${gen}`);
      const actual = Buffer.from(given, 'base64url');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
      return { sessionId, generation: Number(gen) };
    },
  };
}

/** A fresh 128-bit session id, base64url (22 characters). */
export const newSessionId = (): string => randomBytes(16).toString('base64url');
