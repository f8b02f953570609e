import { fileURLToPath } from 'node:url';
import { describeFlagsExample } from '../../test-support/flags-suite.js';
import { startApp, stopAll } from '../../test-support/harness.js';

describeFlagsExample(
  () =>
    startApp('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    }),
  stopAll,
);
