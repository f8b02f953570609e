import { fileURLToPath } from 'node:url';
import { describeMetrics } from '../../test-support/metrics-suite.js';

describeMetrics(fileURLToPath(new URL('..', import.meta.url)), '/api/items/:id');
