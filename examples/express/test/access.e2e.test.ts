import { fileURLToPath } from 'node:url';
import { describeAccessExample } from '../../test-support/access-suite.js';
import { startApp } from '../../test-support/harness.js';

describeAccessExample(
  (env) =>
    startApp('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { HOST: '127.0.0.1', PORT: '0', ...env },
      ready: /log in at (http:\/\/127\.0\.0\.1:\d+)\/auth\/login/,
    }),
  ['/api/admin/flags', '/admin/metrics/summary', '/admin/metrics/slos'],
);
