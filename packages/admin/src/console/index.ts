import { type NeutralHandler, problemAnswer, subpath } from '@platform/core';
import { uiHandler } from '../ui-files/index.js';
import { answerApi } from './api.js';
import { csrfGuard } from './csrf.js';
import type { AdminConsoleOptions } from './options.js';
import { problemOf } from './problem.js';

export {
  type AdminAuthorize,
  type AdminPrincipal,
  type AdminRole,
  type Capabilities,
  capabilitiesOf,
  ROLES,
  roleOf,
} from './access.js';
export { CSRF_HEADER } from './csrf.js';
export type { AdminAuditRecorder, AdminConsoleOptions, PackageHandler } from './options.js';

/** The console: one neutral handler serving the UI and its JSON API below the mount point. */
export interface AdminConsole {
  handler: NeutralHandler;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * One admin console over the packages' own handlers: flags, audit log, AI usage, log
 * levels and health, as a JSON API under `api/` and a prebuilt UI, both below the mount
 * point. The host's `authorize` names the caller and their roles (viewer, operator, admin);
 * every change needs a CSRF token and is recorded in the audit trail.
 *
 * @example
 * const admin = adminConsole({
 *   authorize: (req) => sessionOf(req.header('cookie')),
 *   audit: trail,
 *   flags: flagAdmin(flags),
 * });
 * app.use('/admin', adminRouter(admin));
 */
export function adminConsole(options: AdminConsoleOptions): AdminConsole {
  const csrf = csrfGuard(options.csrf);
  const ui = uiHandler(options.uiDir);
  const handler: NeutralHandler = async (request) => {
    const rest = subpath(request);
    if (rest !== 'api' && !rest.startsWith('api/')) return ui(request, rest);
    const segments = rest.split('/').slice(1).filter(Boolean).map(decode);
    if (segments.includes(undefined))
      return problemAnswer(400, { title: 'Bad Request', detail: 'Invalid percent-encoding.' });
    let principal: Awaited<ReturnType<AdminConsoleOptions['authorize']>>;
    try {
      principal = await options.authorize(request);
    } catch (err) {
      return problemOf(err, request.path);
    }
    if (!principal)
      return problemAnswer(401, { title: 'Unauthorized', detail: 'Sign in to use the console.' });
    return answerApi({ options, csrf, request, principal }, segments as string[]);
  };
  return { handler };
}
