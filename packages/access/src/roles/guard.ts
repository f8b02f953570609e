import { type Actor, type Answer, diagnostics, type RequestContext } from '@platform/core';
import { AccessError, countRefusal, refusalAnswer } from './refusal.js';
import { defineRoles, isPermission, type RoleTable } from './table.js';

/** What `onRefused` is told about one refused request. */
export interface Refusal {
  status: 401 | 403;
  code: 'credentials_missing' | 'insufficient_role' | 'insufficient_permission';
  /** `role:operator` or `permission:flags:write`. */
  requirement: string;
  actor?: Actor;
  tenantId?: string;
  requestId?: string;
  method?: string;
  path?: string;
}

export interface GuardOptions {
  /** The role table (default: viewer ⊂ operator ⊂ admin). */
  roles?: RoleTable;
  /**
   * Called for every refusal (to audit admin routes). It may return a promise; it is not
   * awaited, and what it throws or rejects with is logged, never sent to the caller.
   */
  onRefused?: (refusal: Refusal) => unknown;
}

/** A neutral guard: checks the current request's actor, answers the refusal or undefined. */
export interface Guard {
  readonly requirement: string;
  /** Undefined to go on; the 401/403 problem answer otherwise. */
  check(context: RequestContext | undefined): Answer | undefined;
}

const diag = diagnostics('access');
let defaults: RoleTable | undefined;
const defaultTable = () => {
  defaults ??= defineRoles();
  return defaults;
};

function makeGuard(
  requirement: string,
  allowed: (actor: Actor) => boolean,
  code: Refusal['code'],
  detail: string,
  options: GuardOptions,
): Guard {
  const refuse = (context: RequestContext | undefined, status: 401 | 403, why: Refusal['code']) => {
    countRefusal('authorize', why);
    const error =
      status === 401
        ? new AccessError(401, why, 'This route needs an authenticated caller.')
        : new AccessError(403, why, detail);
    if (options.onRefused) notify(options.onRefused, { status, code: why, requirement, context });
    return refusalAnswer(error, context);
  };
  return {
    requirement,
    check(context) {
      const actor = context?.actor;
      if (!actor) return refuse(context, 401, 'credentials_missing');
      return allowed(actor) ? undefined : refuse(context, 403, code);
    },
  };
}

function notify(
  hook: NonNullable<GuardOptions['onRefused']>,
  facts: {
    status: 401 | 403;
    code: Refusal['code'];
    requirement: string;
    context?: RequestContext;
  },
): void {
  const { context, ...rest } = facts;
  const refusal: Refusal = {
    ...rest,
    actor: context?.actor,
    tenantId: context?.tenantId,
    requestId: context?.requestId,
    method: context?.method,
    path: context?.path,
  };
  try {
    const out = hook(refusal) as Promise<unknown> | undefined;
    if (out && typeof out.then === 'function') {
      out.then(undefined, (err: unknown) => diag.error('on_refused_failed', err));
    }
  } catch (err) {
    diag.error('on_refused_failed', err);
  }
}

/**
 * A guard that admits actors holding `role` or a role that includes it (an admin passes
 * `roleGuard('operator')`). An unknown role is a TypeError here, at construction.
 *
 * @example
 * const guard = roleGuard('operator');
 * const refusal = guard.check(getContext()); // undefined, or a 401/403 answer
 */
export function roleGuard(role: string, options: GuardOptions = {}): Guard {
  const table = options.roles ?? defaultTable();
  if (!table.has(role)) {
    throw new TypeError(`requireRole: unknown role "${role}"; defined: ${table.names.join(', ')}`);
  }
  return makeGuard(
    `role:${role}`,
    (actor) => table.includesRole(actor.roles, role),
    'insufficient_role',
    `This route needs the ${role} role.`,
    options,
  );
}

/**
 * A guard that admits actors whose roles grant `permission` (`resource:action`).
 *
 * @example
 * const guard = permissionGuard('flags:write');
 */
export function permissionGuard(permission: string, options: GuardOptions = {}): Guard {
  if (!isPermission(permission) || permission.includes('*')) {
    throw new TypeError(`requirePermission: "${permission}" is not resource:action`);
  }
  const table = options.roles ?? defaultTable();
  return makeGuard(
    `permission:${permission}`,
    (actor) => table.allows(actor.roles, permission),
    'insufficient_permission',
    `This route needs the ${permission} permission.`,
    options,
  );
}
