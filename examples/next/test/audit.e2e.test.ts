import { afterAll, beforeAll, describe } from 'vitest';
import { describeAuditApp } from '../../test-support/audit-suite.js';
import { type RunningApp, stopAll } from '../../test-support/harness.js';
import { startNext } from './next-app.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startNext();
});
afterAll(stopAll);

describe('audit (memory store)', () => {
  describeAuditApp(() => app);
});
