import { memoryStore } from './stores/memory.js';
import { describeFlagStore } from './testkit.js';

// The deprecated spelling keeps working for third-party stores.
describeFlagStore({
  name: 'memory (deprecated describeFlagStore)',
  create: (seed) => memoryStore({ flags: seed }),
});
