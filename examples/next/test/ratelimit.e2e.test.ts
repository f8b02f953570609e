import { describeRateLimits } from '../../test-support/ratelimit-suite.js';
import { startNext } from './next-app.js';

// Next does not expose the socket address and the example trusts no proxy: anonymous
// requests share one `ip=unknown` bucket, which the suite's per-IP test also holds for.
describeRateLimits((env) => startNext(env));
