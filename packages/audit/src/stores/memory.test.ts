import { testAuditStore } from '../testkit.js';
import { memoryStore } from './memory.js';

testAuditStore({ name: 'memory', create: () => memoryStore() });
