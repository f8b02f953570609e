import { describe, expect, it } from 'vitest';
import { optionalPeer } from './optional.js';

describe('optionalPeer', () => {
  it('is undefined for a package that is not installed, and rethrows anything else', async () => {
    const name = 'platform-evidence-no-such-package';
    expect(await optionalPeer(name, () => import(/* @vite-ignore */ name))).toBeUndefined();
    expect(await optionalPeer('pdf-lib', () => import('pdf-lib'))).toHaveProperty('PDFDocument');
    const broken = Object.assign(new Error("Cannot find module '/x/dist/index.js'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    await expect(optionalPeer('@platform/headers', () => Promise.reject(broken))).rejects.toBe(
      broken,
    );
  });
});
