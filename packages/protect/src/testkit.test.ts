import { memoryKeyStore } from './stores/memory.js';
import { testDataKeyStore } from './testkit.js';

testDataKeyStore({ name: 'memory', create: () => memoryKeyStore() });
