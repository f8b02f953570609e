import { describeMetrics } from '../../test-support/metrics-suite.js';
import { startNext } from './next-app.js';

describeMetrics(() => startNext(), '/api/items/[id]');
