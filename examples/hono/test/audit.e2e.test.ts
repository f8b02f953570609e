import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeAuditApp } from '../../test-support/audit-suite.js';
import { type RunningApp, startApp, stopAll } from '../../test-support/harness.js';

let app: RunningApp;

beforeAll(async () => {
  app = await startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });
});
afterAll(stopAll);

describe('audit (embedded PGlite store)', () => {
  describeAuditApp(() => app, { ip: '127.0.0.1', unrouted: true });
});
