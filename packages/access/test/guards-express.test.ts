import { serveExpress } from './express-app.js';
import { describeGuardedApi } from './guarded-api.js';

describeGuardedApi('Express authenticate() + requireRole() / requirePermission()', serveExpress);
