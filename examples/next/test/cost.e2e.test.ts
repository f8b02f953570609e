import { describeCost } from '../../test-support/cost-suite.js';
import { startNext } from './next-app.js';

describeCost((env) => startNext(env));
