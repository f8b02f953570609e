import { fileURLToPath } from 'node:url';
import { startApp } from '../../test-support/harness.js';
import { describeMetrics } from '../../test-support/metrics-suite.js';

describeMetrics(
  () =>
    startApp('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0' },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    }),
  '/api/items/:id',
);
