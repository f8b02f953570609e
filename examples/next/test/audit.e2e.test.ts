import { afterAll, beforeAll, describe } from 'vitest';
import { describeAuditApp } from '../../test-support/audit-suite.js';
import { type RunningApp, stopAll } from '../../test-support/harness.js';
import { startNext } from './next-app.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startNext({ TRUST_PROXY_HOPS: '1' });
});
afterAll(stopAll);

describe('audit (memory store)', () => {
  // `next start` fills X-Forwarded-For with the peer, trusted as one hop
  describeAuditApp(() => app, { ip: '127.0.0.1' });
});
