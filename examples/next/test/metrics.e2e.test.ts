import { describeMetrics } from '../../test-support/metrics-suite.js';
import { startNext } from './next-app.js';

// Next answers paths no route handler serves itself: those are not measured (no `unmatched`)
describeMetrics(() => startNext(), '/api/items/[id]', { unmatched: false });
