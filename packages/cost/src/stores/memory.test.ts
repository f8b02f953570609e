import { testBudgetStore, testLedgerStore } from '../testkit.js';
import { memoryStore } from './memory.js';

testBudgetStore({ name: 'memory', create: () => memoryStore() });
testLedgerStore({ name: 'memory', create: () => memoryStore() });
