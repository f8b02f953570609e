import { setActor, setTenant } from '@platform/core';

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Demo authentication, NOT for production: trusts the `X-User-Id`, `X-User-Role` and
 * `X-Tenant-Id` request headers so the examples can show per-user and per-tenant
 * behaviour without a login flow. A real app calls `setActor` / `setTenant` the same
 * way after verifying a session or token. Values that are not plain ids are ignored.
 */
export function applyDemoAuth(header: (name: string) => string | null | undefined): void {
  const user = header('x-user-id');
  if (user && ID.test(user)) {
    const role = header('x-user-role');
    setActor({ type: 'user', id: user, roles: role && ID.test(role) ? [role] : [] });
  }
  const tenant = header('x-tenant-id');
  if (tenant && ID.test(tenant)) setTenant(tenant);
}
