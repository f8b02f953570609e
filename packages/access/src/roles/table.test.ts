import { ConfigError } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { permissionGuard, roleGuard } from './guard.js';
import { DEFAULT_ROLES, defineRoles } from './table.js';

describe('defineRoles', () => {
  const roles = defineRoles();

  it('makes viewer ⊂ operator ⊂ admin by default', () => {
    expect(roles.includesRole(['admin'], 'viewer')).toBe(true);
    expect(roles.includesRole(['operator'], 'viewer')).toBe(true);
    expect(roles.includesRole(['operator'], 'admin')).toBe(false);
    expect(roles.includesRole(['viewer'], 'operator')).toBe(false);
    expect(roles.allows(['viewer'], 'flags:read')).toBe(true);
    expect(roles.allows(['viewer'], 'flags:write')).toBe(false);
    expect(roles.allows(['operator'], 'flags:write')).toBe(true);
    expect(roles.allows(['operator'], 'keys:rotate')).toBe(false);
    expect(roles.allows(['admin'], 'keys:rotate')).toBe(true);
    expect(roles.permissionsOf(['operator'])).toEqual(['*:read', '*:write']);
  });

  it('grants nothing for unknown or missing roles', () => {
    expect(roles.allows(['root'], 'flags:read')).toBe(false);
    expect(roles.allows(undefined, 'flags:read')).toBe(false);
    expect(roles.includesRole(['toString'], 'viewer')).toBe(false);
  });

  it('lets the host add roles on top of the defaults, and replace them', () => {
    const extended = defineRoles({
      roles: { billing: { inherits: ['viewer'], permissions: ['invoices:write', 'refunds:*'] } },
    });
    expect(extended.allows(['billing'], 'invoices:write')).toBe(true);
    expect(extended.allows(['billing'], 'refunds:issue')).toBe(true);
    expect(extended.allows(['billing'], 'flags:read')).toBe(true);
    expect(extended.allows(['billing'], 'flags:write')).toBe(false);
    expect(extended.includesRole(['admin'], 'billing')).toBe(false);
    const own = defineRoles({
      replaceDefaults: true,
      roles: { reader: { permissions: ['docs:read'] } },
    });
    expect(own.names).toEqual(['reader']);
    expect(DEFAULT_ROLES.admin?.permissions).toEqual(['*']);
  });

  it('refuses a cycle, an unknown parent and a malformed permission at construction', () => {
    expect(() =>
      defineRoles({
        roles: { a: { inherits: ['b'] }, b: { inherits: ['c'] }, c: { inherits: ['a'] } },
      }),
    ).toThrow(/inheritance cycle a → b → c → a/);
    expect(() => defineRoles({ roles: { ops: { inherits: ['operater'] } } })).toThrow(
      /roles\.ops\.inherits: unknown role "operater"/,
    );
    expect(() => defineRoles({ roles: { x: { permissions: ['flags write'] } } })).toThrow(
      ConfigError,
    );
  });

  it('refuses guards on an unknown role or a malformed permission', () => {
    expect(() => roleGuard('superuser')).toThrow(
      /unknown role "superuser"; defined: viewer, operator, admin/,
    );
    expect(() => permissionGuard('flags')).not.toThrow();
    expect(() => permissionGuard('flags:*')).toThrow(/not resource:action/);
    expect(() => permissionGuard('')).toThrow(/not resource:action/);
  });

  it('checks a context: 401 without actor, 403 without the right, undefined when allowed', async () => {
    const guard = roleGuard('operator');
    const base = { requestId: 'r1', method: 'GET', path: '/', startTime: 0 };
    expect(guard.check(undefined)?.status).toBe(401);
    expect(
      guard.check({ ...base, actor: { type: 'user', id: 'u', roles: ['viewer'] } })?.status,
    ).toBe(403);
    expect(
      guard.check({ ...base, actor: { type: 'user', id: 'u', roles: ['admin'] } }),
    ).toBeUndefined();
  });

  it('never lets onRefused throw into the request', async () => {
    const guard = roleGuard('admin', {
      onRefused: () => {
        throw new Error('audit down');
      },
    });
    const rejecting = roleGuard('admin', {
      onRefused: () => Promise.reject(new Error('audit down')),
    });
    expect(guard.check(undefined)?.status).toBe(401);
    expect(rejecting.check(undefined)?.status).toBe(401);
  });
});
