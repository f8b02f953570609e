import { type AdminConsole, type AdminConsoleOptions, adminConsole } from '@platform/admin';
import { getContext } from '@platform/core';

/** Where the examples mount the admin console (its API under `${ADMIN_CONSOLE}/api`). */
export const ADMIN_CONSOLE = '/admin/console';

/** What one feature of an example shows in the console: its own package's handlers. */
export type ConsolePart = Partial<Omit<AdminConsoleOptions, 'authorize'>>;

/**
 * The console's caller: the signed-in session's actor and roles (none → 401). The demo's
 * users are the platform's own staff, so no tenant is passed: a tenant given here pins the
 * caller to that tenant and refuses what spans every tenant (global toggles, log levels).
 */
function caller() {
  const actor = getContext()?.actor;
  return actor ? { actor: actor.id, roles: actor.roles } : null;
}

/** One console over every feature's part and the app's health probes; roles and CSRF enforced by its API. */
export function exampleConsole(
  parts: ReadonlyArray<ConsolePart | undefined>,
  health: AdminConsoleOptions['health'],
): AdminConsole {
  return adminConsole({
    ...Object.assign({}, ...parts),
    health,
    authorize: caller,
    csrf: { secret: process.env.ADMIN_CSRF_SECRET },
  });
}

/** The line the demo prints once listening. */
export const consoleHelp = (url: string) =>
  `admin console: ${url}${ADMIN_CONSOLE}/ (sign in as admin, operator or viewer)`;
