import { memoryStore } from './stores/memory.js';
import { testBudgetStore, testLedgerStore } from './testkit.js';

// The deprecated (name, factory) form keeps working for third-party stores.
testBudgetStore('memory (deprecated (name, factory) form)', () => memoryStore());
testLedgerStore('memory (deprecated (name, factory) form)', () => memoryStore());
