import { memoryStore } from './stores/memory.js';
import { describeAuditStore } from './testkit.js';

// The deprecated spelling keeps working for third-party stores.
describeAuditStore({ name: 'memory (deprecated describeAuditStore)', create: () => memoryStore() });
