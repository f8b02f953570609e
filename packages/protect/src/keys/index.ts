export {
  createKeyFile,
  type KeyFile,
  type LocalKeyProvider,
  localKeyProvider,
  rotateKeyFile,
} from './file.js';
export {
  type KeyProvider,
  type MemoryKeyProvider,
  memoryKeyProvider,
  type WrappedKey,
} from './provider.js';
