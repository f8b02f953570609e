import type { NeutralRequest } from '@platform/core';

/** The console's roles, each including the one before it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type AdminRole = (typeof ROLES)[number];

/** Who is calling, as the host's `authorize` decides. */
export interface AdminPrincipal {
  /** The acting user's id: recorded as the actor of every change. */
  actor: string;
  /** The host's role names; `viewer`, `operator` and `admin` are the ones the console knows. */
  roles: readonly string[];
  /** Set for a tenant-scoped admin: they see and change only this tenant. */
  tenant?: string;
}

/** The host's check: the caller, or `null` when the request is not authenticated (401). */
export type AdminAuthorize = (
  request: NeutralRequest,
) => AdminPrincipal | null | undefined | Promise<AdminPrincipal | null | undefined>;

/** The highest console role among the principal's roles, or undefined (403). */
export function roleOf(principal: AdminPrincipal): AdminRole | undefined {
  for (let i = ROLES.length - 1; i >= 0; i--) {
    const role = ROLES[i] as AdminRole;
    if (principal.roles.includes(role)) return role;
  }
  return undefined;
}

export const atLeast = (role: AdminRole, needed: AdminRole): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** What a role may do, as the session endpoint tells the UI (which hides the rest). */
export interface Capabilities {
  toggleFlags: boolean;
  rollout: boolean;
  tenantOverrides: boolean;
  /** Flag history (every tenant's overrides) and reverting to an earlier version. */
  flagHistory: boolean;
  revertFlags: boolean;
  changeLogLevels: boolean;
  /** The development inspector: every request's log lines, so operators of every tenant only. */
  inspect: boolean;
  auditLog: boolean;
}

/**
 * Tenant-scoped principals never change process-wide state (a global flag, a log level):
 * their operator rights stop at their tenant's overrides.
 */
export function capabilitiesOf(role: AdminRole, scoped: boolean): Capabilities {
  const operator = atLeast(role, 'operator') && !scoped;
  return {
    toggleFlags: operator,
    rollout: operator,
    tenantOverrides: atLeast(role, 'admin'),
    flagHistory: !scoped,
    revertFlags: atLeast(role, 'admin') && !scoped,
    changeLogLevels: operator,
    inspect: operator,
    auditLog: atLeast(role, 'admin'),
  };
}
