import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startApp } from '../../test-support/harness.js';
import { describeRateLimitsOnBothStores } from '../../test-support/ratelimit-suite.js';

describeRateLimitsOnBothStores(
  (env) =>
    startApp('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { NODE_ENV: 'production', DEMO_HEADER_AUTH: 'on', HOST: '127.0.0.1', PORT: '0', ...env },
      ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    }),
  (url) => new Redis(url),
);
