/**
 * Limits per role, with a required `default` for actors without a listed role
 * (and anonymous requests): `{ admin: 100, viewer: 10, default: 20 }`.
 */
export type RoleLimits = Readonly<Record<string, number>> & { readonly default: number };

/**
 * The limit for an actor's roles: the most generous listed role wins, `default` otherwise.
 *
 * @example
 * resolveRoleLimit({ admin: 100, viewer: 10, default: 20 }, ['viewer']); // 10
 */
export function resolveRoleLimit(
  table: Readonly<Record<string, number>>,
  roles: readonly string[] | undefined,
): number {
  let best: number | undefined;
  for (const role of roles ?? []) {
    if (role === 'default' || !Object.hasOwn(table, role)) continue;
    const value = table[role] as number;
    if (best === undefined || value > best) best = value;
  }
  return best ?? (table.default as number);
}
