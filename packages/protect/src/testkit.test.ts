import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFile, localKeyProvider } from './keys/file.js';
import { memoryKeyProvider } from './keys/provider.js';
import { memoryKeyStore } from './stores/memory.js';
import { testDataKeyStore, testKeyProvider } from './testkit.js';

testDataKeyStore({ name: 'memory', create: () => memoryKeyStore() });

testKeyProvider({ name: 'memory', create: () => memoryKeyProvider() });

let dir = '';
testKeyProvider({
  name: 'local key file',
  create: async () => {
    dir = await mkdtemp(join(tmpdir(), 'protect-kit-'));
    await createKeyFile(join(dir, 'keys.json'));
    return localKeyProvider({ path: join(dir, 'keys.json') });
  },
  destroy: () => rm(dir, { recursive: true, force: true }),
});
