import { describeFlagsExample } from '../../test-support/flags-suite.js';
import { stopAll } from '../../test-support/harness.js';
import { startNext } from './next-app.js';

describeFlagsExample(() => startNext(), stopAll);
