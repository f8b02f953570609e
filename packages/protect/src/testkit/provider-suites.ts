import { randomBytes } from 'node:crypto';
import type { StoreGetter } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { KeyProvider } from '../keys/provider.js';

/** The named suites of the key provider conformance run; `skip` takes these. */
export type KeyProviderSuite = 'roundtrip' | 'context' | 'refusals';

export function keyProviderSuites(): Record<
  KeyProviderSuite,
  (provider: StoreGetter<KeyProvider>) => void
> {
  return {
    roundtrip(provider) {
      it('unwraps what it wrapped, under its current KEK, without the data key in the clear', async () => {
        const key = randomBytes(32);
        const wrapped = await provider().wrap(key, 'ctx-1');
        expect(wrapped.kekId).toBe(await provider().currentKekId());
        expect(wrapped.wrapped).not.toContain(key.toString('base64'));
        expect(wrapped.wrapped).not.toContain(key.toString('base64url'));
        expect(wrapped.wrapped).not.toContain(key.toString('hex'));
        expect((await provider().unwrap(wrapped, 'ctx-1')).equals(key)).toBe(true);
      });
    },
    context(provider) {
      it('binds a wrapped key to its context: another context does not unwrap', async () => {
        const wrapped = await provider().wrap(randomBytes(32), 'tenant-a/row-1');
        await expect(provider().unwrap(wrapped, 'tenant-b/row-1')).rejects.toThrow();
      });
    },
    refusals(provider) {
      it('refuses an altered wrapped key and an unknown KEK id', async () => {
        const wrapped = await provider().wrap(randomBytes(32), 'ctx');
        const bytes = Buffer.from(wrapped.wrapped, 'base64url');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        await expect(
          provider().unwrap({ ...wrapped, wrapped: bytes.toString('base64url') }, 'ctx'),
        ).rejects.toThrow();
        await expect(
          provider().unwrap({ ...wrapped, kekId: 'no-such-kek' }, 'ctx'),
        ).rejects.toThrow();
      });
    },
  };
}
