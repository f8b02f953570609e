import { ConfigError } from '@platform/core';

/** One role: the permissions it grants and the roles whose permissions it includes. */
export interface RoleDefinition {
  /** Roles this one includes (`operator` includes `viewer`). */
  inherits?: readonly string[];
  /** Permissions as `resource:action`; `*` is a wildcard on either side (`flags:*`, `*:read`, `*`). */
  permissions?: readonly string[];
}

export type RoleDefinitions = Readonly<Record<string, RoleDefinition>>;

/** The default table: viewer ⊂ operator ⊂ admin. */
export const DEFAULT_ROLES: RoleDefinitions = Object.freeze({
  viewer: { permissions: ['*:read'] },
  operator: { inherits: ['viewer'], permissions: ['*:write'] },
  admin: { inherits: ['operator'], permissions: ['*'] },
});

export interface RoleTableOptions {
  /** Roles to add to (or, by name, replace in) the defaults. */
  roles?: RoleDefinitions;
  /** Start from an empty table instead of `DEFAULT_ROLES`. Default false. */
  replaceDefaults?: boolean;
}

/** A compiled role table: role inclusion and permission checks over an actor's roles. */
export interface RoleTable {
  /** Every defined role name. */
  readonly names: readonly string[];
  /** True when `name` is defined. */
  has(name: string): boolean;
  /** True when one of `roles` is `role` or includes it. Unknown roles grant nothing. */
  includesRole(roles: readonly string[] | undefined, role: string): boolean;
  /** True when one of `roles` grants `permission`. */
  allows(roles: readonly string[] | undefined, permission: string): boolean;
  /** Every permission pattern `roles` grant, sorted. */
  permissionsOf(roles: readonly string[] | undefined): string[];
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PERMISSION =
  /^(\*|[A-Za-z0-9_.-]{1,64}(:([A-Za-z0-9_.-]{1,64}|\*))?|\*:[A-Za-z0-9_.-]{1,64})$/;

/** True for a permission a guard can require or a table can grant. */
export function isPermission(value: unknown): value is string {
  return typeof value === 'string' && PERMISSION.test(value);
}

/** Does the granted pattern cover the required permission? */
function covers(granted: string, required: string): boolean {
  if (granted === '*' || granted === required) return true;
  const [gr, ga = '*'] = granted.split(':');
  const [rr, ra = '*'] = required.split(':');
  return (gr === '*' || gr === rr) && (ga === '*' || ga === ra);
}

/**
 * Builds the role table, checked at construction: an inherited role that is not defined, a
 * cycle (`a` includes `b` includes `a`) or a malformed name or permission is a ConfigError
 * naming it.
 *
 * @example
 * const roles = defineRoles({ roles: { billing: { inherits: ['viewer'], permissions: ['invoices:write'] } } });
 * roles.allows(['billing'], 'invoices:write'); // true
 */
export function defineRoles(options: RoleTableOptions = {}): RoleTable {
  const defs: Record<string, RoleDefinition> = {
    ...(options.replaceDefaults ? {} : DEFAULT_ROLES),
    ...options.roles,
  };
  const problems: { path: string; message: string }[] = [];
  for (const [name, def] of Object.entries(defs)) {
    if (!NAME.test(name))
      problems.push({ path: `roles.${name}`, message: 'is not a valid role name' });
    for (const parent of def.inherits ?? []) {
      if (!Object.hasOwn(defs, parent)) {
        problems.push({ path: `roles.${name}.inherits`, message: `unknown role "${parent}"` });
      }
    }
    for (const p of def.permissions ?? []) {
      if (!isPermission(p)) {
        problems.push({
          path: `roles.${name}.permissions`,
          message: `"${p}" is not resource:action`,
        });
      }
    }
  }
  if (problems.length === 0) {
    const cycle = findCycle(defs);
    if (cycle) problems.push({ path: 'roles', message: `inheritance cycle ${cycle.join(' → ')}` });
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
    throw new ConfigError(`Invalid defineRoles options:\n${lines}`, problems);
  }
  const included = new Map<string, Set<string>>();
  const granted = new Map<string, string[]>();
  for (const name of Object.keys(defs)) {
    const closure = closureOf(defs, name);
    included.set(name, closure);
    granted.set(name, [...new Set([...closure].flatMap((r) => defs[r]?.permissions ?? []))]);
  }
  const known = (roles: readonly string[] | undefined) =>
    (roles ?? []).filter((r) => Object.hasOwn(defs, r));
  return {
    names: Object.keys(defs),
    has: (name) => Object.hasOwn(defs, name),
    includesRole: (roles, role) => known(roles).some((r) => included.get(r)?.has(role)),
    allows: (roles, permission) =>
      known(roles).some((r) => granted.get(r)?.some((g) => covers(g, permission))),
    permissionsOf: (roles) =>
      [...new Set(known(roles).flatMap((r) => granted.get(r) ?? []))].sort(),
  };
}

function closureOf(defs: Record<string, RoleDefinition>, role: string): Set<string> {
  const seen = new Set<string>();
  const stack = [role];
  while (stack.length > 0) {
    const r = stack.pop() as string;
    if (seen.has(r)) continue;
    seen.add(r);
    stack.push(...(defs[r]?.inherits ?? []));
  }
  return seen;
}

function findCycle(defs: Record<string, RoleDefinition>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const parent of defs[name]?.inherits ?? []) {
      const found = visit(parent);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(defs)) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}
