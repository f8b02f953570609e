import { fileURLToPath } from 'node:url';
import { describeCost } from '../../test-support/cost-suite.js';
import { startApp } from '../../test-support/harness.js';

describeCost((env) =>
  startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', ...env },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  }),
);
