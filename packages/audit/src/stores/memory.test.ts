import { memoryStore } from './memory.js';
import { describeAuditStore } from '../testkit.js';

describeAuditStore({ name: 'memory', create: () => memoryStore() });
