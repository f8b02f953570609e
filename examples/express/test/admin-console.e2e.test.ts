import { fileURLToPath } from 'node:url';
import { describeAdminConsole } from '../../test-support/admin-console-suite.js';
import { startApp } from '../../test-support/harness.js';

describeAdminConsole((env) =>
  startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { HOST: '127.0.0.1', PORT: '0', ...env },
    ready: /admin console: (http:\/\/127\.0\.0\.1:\d+)\/admin\/console\//,
  }),
);
