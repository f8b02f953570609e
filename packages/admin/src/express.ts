import { expressRoute } from '@platform/core/express';
import type { RequestHandler } from 'express';
import type { AdminConsole } from './console/index.js';

/**
 * The console as Express middleware: mount it at a prefix (the UI and `api/` below it).
 * Requests it does not serve go on to `next()`.
 *
 * @example
 * app.use('/admin', adminRouter(adminConsole({ authorize, audit: trail, flags: flagAdmin(flags) })));
 */
export function adminRouter(console: AdminConsole): RequestHandler {
  return expressRoute(console.handler);
}
