import { fileURLToPath } from 'node:url';
import { scoreHeaders } from '@platform/headers';
import { describeHeaders } from '../../test-support/headers-suite.js';

describeHeaders(fileURLToPath(new URL('..', import.meta.url)), scoreHeaders);
