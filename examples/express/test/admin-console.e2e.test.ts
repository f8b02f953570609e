import { fileURLToPath } from 'node:url';
import { describeAdminConsole } from '../../test-support/admin-console-suite.js';

describeAdminConsole(fileURLToPath(new URL('..', import.meta.url)));
