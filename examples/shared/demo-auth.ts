import { type RequestContext, setActor, setTenant } from '@platform/core';

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

/** The demo's role for operators who may read every tenant's data (`X-User-Role: platform-admin`). */
export const PLATFORM_ADMIN = 'platform-admin';

/**
 * Demo authorization for reading one tenant's data (the audit trail): `platform-admin` may
 * read any tenant; `admin` only the tenant it belongs to (`X-Tenant-Id`), never another
 * one and never all tenants at once (`tenantId` undefined). Admin rights are per tenant.
 */
export function mayReadTenant(request: {
  context: RequestContext | undefined;
  tenantId?: string;
}): boolean {
  const { context, tenantId } = request;
  const roles = context?.actor?.roles ?? [];
  if (roles.includes(PLATFORM_ADMIN)) return true;
  return (
    roles.includes('admin') && context?.tenantId !== undefined && tenantId === context.tenantId
  );
}
