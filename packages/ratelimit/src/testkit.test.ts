import { memoryStore } from './stores/memory.js';
import { describeRateLimitStore } from './testkit.js';

// The deprecated spelling keeps working for third-party stores: `without` maps to `skip`.
describeRateLimitStore({
  name: 'memory (deprecated describeRateLimitStore)',
  create: () => memoryStore(),
  without: { refund: true },
});
