import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyProviderError } from '../errors.js';

/** A data key wrapped (encrypted) by a key-encryption key, and which KEK did it. */
export interface WrappedKey {
  kekId: string;
  /** Provider-specific text (for the local providers: base64url of iv || ciphertext || tag). */
  wrapped: string;
}

/**
 * Where key-encryption keys (KEKs) live. Data keys are wrapped by the current KEK; any KEK
 * the provider still knows unwraps. The plaintext KEK need never leave the provider (a KMS
 * implements `wrap`/`unwrap` as remote calls).
 *
 * `context` binds a wrapped key to its place (tenant, subject, key id, version): a wrapped key
 * copied to another row does not unwrap.
 */
export interface KeyProvider {
  /** The KEK new data keys are wrapped with, and that `rewrap()` moves older ones to. */
  currentKekId(): string | Promise<string>;
  wrap(dataKey: Uint8Array, context: string): Promise<WrappedKey>;
  unwrap(key: WrappedKey, context: string): Promise<Buffer>;
}

const KEK_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Checks a KEK table: ids match `[A-Za-z0-9._-]{1,64}`, keys are 32 bytes, `current` is one of them. */
export function checkKeks(keys: Map<string, Buffer>, current: string, where: string): void {
  for (const [id, key] of keys) {
    if (!KEK_ID.test(id))
      throw new KeyProviderError(`${where}: KEK id ${JSON.stringify(id)} must match ${KEK_ID}`);
    if (key.length !== 32)
      throw new KeyProviderError(`${where}: KEK ${id} must be 32 bytes (got ${key.length})`);
  }
  if (!keys.has(current))
    throw new KeyProviderError(
      `${where}: current KEK ${JSON.stringify(current)} is not among the keys`,
    );
}

/** AES-256-GCM wrapping with a KEK held in this process: what the memory and file providers share. */
export function localWrapper(
  keks: () => Promise<{ keys: Map<string, Buffer>; current: string }>,
): KeyProvider {
  return {
    currentKekId: async () => (await keks()).current,
    async wrap(dataKey, context) {
      const { keys, current } = await keks();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(current) as Buffer, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return {
        kekId: current,
        wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url'),
      };
    },
    async unwrap({ kekId, wrapped }, context) {
      const kek = (await keks()).keys.get(kekId);
      if (!kek)
        throw new KeyProviderError(
          `KEK ${JSON.stringify(kekId)} is not known to the key provider (retired too early?)`,
        );
      const bytes = Buffer.from(wrapped, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([
          decipher.update(bytes.subarray(12, bytes.length - 16)),
          decipher.final(),
        ]);
      } catch (cause) {
        throw new KeyProviderError(
          `a data key wrapped by KEK ${kekId} does not unwrap: altered, or moved from another row`,
          cause,
        );
      }
    },
  };
}

export interface MemoryKeyProvider extends KeyProvider {
  /** Adds a fresh random KEK and makes it current (older ones still unwrap). Returns its id. */
  rotate(kekId?: string): string;
  /** Forgets a KEK: what it wrapped no longer unwraps. */
  retire(kekId: string): void;
}

/**
 * KEKs held in memory: for tests and development. Without `keys`, one random KEK (`dev-1`).
 *
 * @example
 * const keys = memoryKeyProvider();
 * keys.rotate(); // new data keys are wrapped by the new KEK; protector.rewrap() moves the old ones
 */
export function memoryKeyProvider(
  options: { keys?: Record<string, Uint8Array | string>; current?: string } = {},
): MemoryKeyProvider {
  const keys = new Map<string, Buffer>();
  for (const [id, k] of Object.entries(options.keys ?? { 'dev-1': randomBytes(32) }))
    keys.set(id, typeof k === 'string' ? Buffer.from(k, 'base64') : Buffer.from(k));
  let current = options.current ?? [...keys.keys()].at(-1) ?? '';
  checkKeks(keys, current, 'memoryKeyProvider');
  let n = keys.size;
  return {
    ...localWrapper(async () => ({ keys, current })),
    rotate(kekId) {
      const id = kekId ?? `dev-${++n}`;
      keys.set(id, randomBytes(32));
      checkKeks(keys, id, 'memoryKeyProvider.rotate');
      current = id;
      return id;
    },
    retire(kekId) {
      if (kekId === current) throw new KeyProviderError('cannot retire the current KEK');
      keys.delete(kekId);
    },
  };
}
