import { testApiKeyStore } from '../testkit.js';
import { memoryKeyStore } from './memory.js';

testApiKeyStore({ name: 'memory', create: () => memoryKeyStore() });
