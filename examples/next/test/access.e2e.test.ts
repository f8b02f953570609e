import { describeAccessExample } from '../../test-support/access-suite.js';
import { startNext } from './next-app.js';

// `next start` runs in production mode: the session cookies stay non-Secure only because
// the demo's login is configured for plain http on loopback
describeAccessExample(
  (env) => startNext({ ...env, NODE_ENV: 'production' }),
  ['/api/admin/flags', '/admin/metrics/summary', '/admin/metrics/slos'],
);
