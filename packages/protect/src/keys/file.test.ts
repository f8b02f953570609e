import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyProviderError } from '../errors.js';
import { fieldProtector } from '../protector.js';
import { memoryKeyStore } from '../stores/memory.js';
import { createKeyFile, localKeyProvider, rotateKeyFile } from './file.js';

const dir = await mkdtemp(join(tmpdir(), 'protect-keys-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('localKeyProvider', () => {
  it('wraps with the key file’s current KEK; after rotateKeyFile + reload + rewrap, everything opens', async () => {
    const path = join(dir, 'keys.json');
    await createKeyFile(path);
    await expect(createKeyFile(path)).rejects.toThrow(/EEXIST/);
    const keys = localKeyProvider({ path });
    const store = memoryKeyStore();
    const p = fieldProtector({ keys, store, cache: { ttlMs: 0 } });
    const sealed = await p.encrypt('hello', { tenantId: 't', aad: 'a' });
    expect((await store.list({ limit: 5 }))[0]?.kekId).toBe('kek-1');
    expect(await rotateKeyFile(path)).toBe('kek-2');
    await keys.reload();
    expect(await p.rewrap()).toEqual({ rewrapped: 1, failed: [] });
    expect((await store.list({ limit: 5 }))[0]?.kekId).toBe('kek-2');
    // the old KEK removed from the file: still opens, through kek-2
    const file = JSON.parse(await readFile(path, 'utf8'));
    delete file.keys['kek-1'];
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    await keys.reload();
    expect(await p.decrypt(sealed, { tenantId: 't', aad: 'a' })).toBe('hello');
  });

  it('refuses a key file readable by others, malformed, or with a short key', async () => {
    const open = join(dir, 'open.json');
    await createKeyFile(open);
    await chmod(open, 0o644);
    await expect(localKeyProvider({ path: open }).currentKekId()).rejects.toThrow(/chmod 600/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, 'not json', { mode: 0o600 });
    await expect(localKeyProvider({ path: bad }).currentKekId()).rejects.toBeInstanceOf(
      KeyProviderError,
    );
    const short = join(dir, 'short.json');
    await writeFile(short, JSON.stringify({ current: 'a', keys: { a: 'AAAA' } }), { mode: 0o600 });
    await expect(localKeyProvider({ path: short }).currentKekId()).rejects.toThrow(/32 bytes/);
  });

  it('refuses a wrapped key moved to another row (its context differs)', async () => {
    const path = join(dir, 'ctx.json');
    await createKeyFile(path);
    const keys = localKeyProvider({ path });
    const wrapped = await keys.wrap(Buffer.alloc(32, 1), 'row-a');
    expect((await keys.unwrap(wrapped, 'row-a')).equals(Buffer.alloc(32, 1))).toBe(true);
    await expect(keys.unwrap(wrapped, 'row-b')).rejects.toThrow(/does not unwrap/);
  });
});
