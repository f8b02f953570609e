import { nextRoute } from '@platform/core/next';
import type { AdminConsole } from './console/index.js';

type Route = (request: Request) => Promise<Response>;

/**
 * The console as the handlers of a Next.js catch-all route (`app/admin/[[...path]]/route.ts`);
 * `base` is the folder it lives in.
 *
 * @example
 * export const { GET, POST, PUT, DELETE } = adminRoute(admin, { base: '/admin' });
 */
export function adminRoute(
  console: AdminConsole,
  options: { base: string },
): { GET: Route; HEAD: Route; POST: Route; PUT: Route; DELETE: Route } {
  const route = nextRoute(console.handler, options);
  return { GET: route, HEAD: route, POST: route, PUT: route, DELETE: route };
}
