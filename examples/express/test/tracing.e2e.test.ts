import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describeTracing } from '../../test-support/tracing-suite.js';

describeTracing(fileURLToPath(new URL('..', import.meta.url)), pg);
