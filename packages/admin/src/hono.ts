import { honoRoute } from '@platform/core/hono';
import type { Context } from 'hono';
import type { AdminConsole } from './console/index.js';

/**
 * The console as a Hono handler for `<base>` and `<base>/*`.
 *
 * @example
 * const route = adminHandler(admin, { base: '/admin' });
 * app.all('/admin', route);
 * app.all('/admin/*', route);
 */
export function adminHandler(
  console: AdminConsole,
  options: { base: string },
): (c: Context) => Promise<Response> {
  return honoRoute(console.handler, options);
}
