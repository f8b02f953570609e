import { getContext } from '@platform/core';
import { nextRoute } from '@platform/core/next';
import { type FlagAdminOptions, flagAdmin } from './admin.js';
import type { FlagReader, Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { flagsForRequest } from './http.js';
import type { EvaluationContext } from './model.js';

/**
 * The current request's flags inside a route wrapped by core's `withRequestContext`:
 * user, tenant and roles applied.
 *
 * @example
 * export const GET = withRequestContext(() => Response.json({ beta: requestFlags(flags).isEnabled('betaReports') }));
 */
export function requestFlags<D extends DefinitionMap>(
  flags: Flags<D>,
  extra?: EvaluationContext,
): FlagReader<D> {
  return flagsForRequest(flags, getContext(), extra);
}

/**
 * A catch-all App Router handler for the admin API (see `flagAdmin`): mount it at
 * `app/<basePath>/[...path]/route.ts` and export it as GET, POST, PUT and DELETE.
 *
 * @example
 * const handler = nextFlagAdmin(flags, { basePath: '/api/admin/flags' });
 * export { handler as GET, handler as POST, handler as PUT, handler as DELETE };
 */
export function nextFlagAdmin<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions & { basePath: string },
): (request: Request) => Promise<Response> {
  return nextRoute(flagAdmin(flags, options), { base: options.basePath });
}
