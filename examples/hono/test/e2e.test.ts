import { fileURLToPath } from 'node:url';
import { REQUEST_ID_PATTERN } from '@platform/core';
import { describeServerApp } from '../../test-support/server-app-suite.js';

describeServerApp(fileURLToPath(new URL('..', import.meta.url)), REQUEST_ID_PATTERN);
