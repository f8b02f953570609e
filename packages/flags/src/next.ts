import { getContext } from '@platform/core';
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
  const admin = flagAdmin(flags, options);
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(options.basePath)
      ? url.pathname.slice(options.basePath.length)
      : url.pathname;
    let body: unknown;
    if (request.method !== 'GET' && request.method !== 'DELETE') {
      const text = await request.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = Symbol('invalid JSON');
      }
    }
    const r = await admin({ method: request.method, path, query: url.searchParams, body });
    return new Response(r.status === 204 ? null : r.body, { status: r.status, headers: r.headers });
  };
}
