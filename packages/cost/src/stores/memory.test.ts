import { testBudgetStore, testLedgerStore } from '../testkit.js';
import { memoryStore } from './memory.js';

testBudgetStore('memory', () => memoryStore());
testLedgerStore('memory', () => memoryStore());
