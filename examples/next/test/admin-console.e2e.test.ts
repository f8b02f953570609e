import { describeAdminConsole } from '../../test-support/admin-console-suite.js';
import { startNext } from './next-app.js';

// next start runs production; the suite's sessions come from the demo login, not headers
describeAdminConsole((env) => startNext({ ...env, NODE_ENV: 'production' }));
