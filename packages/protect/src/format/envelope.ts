import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CiphertextError } from '../errors.js';

/** Text prefix of every sealed value: the format's name and version, so a reader can tell. */
export const ENVELOPE_PREFIX = 'pe1.';
/** The binary format's version byte. */
export const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_KEY_ID = 64;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Which data key sealed a value: its id (one per tenant or subject) and version. */
export interface KeyRef {
  keyId: string;
  version: number;
}

export interface SealInput extends KeyRef {
  /** The 32-byte AES-256 data key. */
  key: Uint8Array;
  plaintext: Uint8Array;
  /** Associated data: what the value belongs to (`table/id/field`). Authenticated, not stored. */
  aad: string;
  /** 12 random bytes by default; fixed only for known-answer tests. */
  iv?: Uint8Array;
}

/**
 * The header: version byte, key id length, key id (ASCII), key version (uint32 big-endian).
 * It is authenticated too: GCM's associated data is `header || utf8(aad)`.
 */
function header(ref: KeyRef): Buffer {
  if (!KEY_ID.test(ref.keyId)) throw new TypeError(`key id must match ${KEY_ID}`);
  if (!Number.isInteger(ref.version) || ref.version < 1 || ref.version > 0xffffffff)
    throw new TypeError('key version must be an integer in 1..2^32-1');
  const h = Buffer.alloc(2 + ref.keyId.length + 4);
  h[0] = FORMAT_VERSION;
  h[1] = ref.keyId.length;
  h.write(ref.keyId, 2, 'latin1');
  h.writeUInt32BE(ref.version, 2 + ref.keyId.length);
  return h;
}

/**
 * Seals bytes with AES-256-GCM into `pe1.` + base64url(header || iv || ciphertext || tag).
 *
 * @example
 * const sealed = sealBytes({ keyId: 'k1', version: 1, key, plaintext: Buffer.from('"x"'), aad: 'users/42/email' });
 */
export function sealBytes(input: SealInput): string {
  const h = header(input);
  const iv = input.iv ?? randomBytes(IV_BYTES);
  if (iv.length !== IV_BYTES) throw new TypeError(`iv must be ${IV_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-gcm', input.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([h, Buffer.from(input.aad, 'utf8')]));
  const body = Buffer.concat([cipher.update(input.plaintext), cipher.final()]);
  return ENVELOPE_PREFIX + Buffer.concat([h, iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** A sealed value taken apart (nothing decrypted yet). */
export interface Envelope extends KeyRef {
  header: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** True for a string in the sealed format's text form (by its prefix; not proof it opens). */
export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);

/** Parses a sealed value's framing; throws CiphertextError (`ciphertext_malformed`) when it is not one. */
export function parseEnvelope(sealed: string): Envelope {
  const malformed = (why: string) =>
    new CiphertextError(`not a sealed value: ${why}`, 'ciphertext_malformed');
  if (typeof sealed !== 'string' || !sealed.startsWith(ENVELOPE_PREFIX))
    throw malformed(`expected a string starting with ${ENVELOPE_PREFIX}`);
  const bytes = Buffer.from(sealed.slice(ENVELOPE_PREFIX.length), 'base64url');
  if (bytes[0] !== FORMAT_VERSION) throw malformed(`unknown format version ${bytes[0]}`);
  const idLength = bytes[1] ?? 0;
  const headerLength = 2 + idLength + 4;
  if (idLength < 1 || idLength > MAX_KEY_ID || bytes.length < headerLength + IV_BYTES + TAG_BYTES)
    throw malformed('too short');
  const keyId = bytes.toString('latin1', 2, 2 + idLength);
  if (!KEY_ID.test(keyId)) throw malformed('bad key id');
  return {
    keyId,
    version: bytes.readUInt32BE(2 + idLength),
    header: bytes.subarray(0, headerLength),
    iv: bytes.subarray(headerLength, headerLength + IV_BYTES),
    ciphertext: bytes.subarray(headerLength + IV_BYTES, bytes.length - TAG_BYTES),
    tag: bytes.subarray(bytes.length - TAG_BYTES),
  };
}

/**
 * Opens a parsed envelope with its data key. A tampered byte, another key or other
 * associated data all fail GCM's check: CiphertextError `ciphertext_rejected`, never garbage.
 */
export function openEnvelope(envelope: Envelope, key: Uint8Array, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.concat([envelope.header, Buffer.from(aad, 'utf8')]));
    decipher.setAuthTag(envelope.tag);
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch (cause) {
    throw new CiphertextError(
      `sealed value (key ${envelope.keyId} v${envelope.version}) does not open for associated data ${JSON.stringify(aad)}: tampered, sealed for other associated data, or a wrong key`,
      'ciphertext_rejected',
      cause,
    );
  }
}

/** `parseEnvelope` then `openEnvelope`. */
export const openBytes = (sealed: string, key: Uint8Array, aad: string): Buffer =>
  openEnvelope(parseEnvelope(sealed), key, aad);
