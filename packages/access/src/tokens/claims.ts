import type { ActorType } from '@platform/core';
import { AccessError } from '../roles/refusal.js';
import type { Identity } from './identity.js';

/** Which claims carry the actor's id, roles, tenant and name (dotted paths reach nested claims). */
export interface ClaimNames {
  /** Default `sub`. */
  subject?: string;
  /** Default `roles`; an array or a space-separated string (`realm_access.roles` for Keycloak). */
  roles?: string;
  /** Default `tenant_id`. */
  tenant?: string;
  /** Default `name`. */
  name?: string;
}

const ID = /^[\x21-\x7e]{1,256}$/;
const TENANT = /^[A-Za-z0-9._:-]{1,128}$/;
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/;

function at(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part))
      return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Builds the claims → identity mapping: validated, bounded values only. */
export function claimsMapper(
  names: ClaimNames = {},
  actorType: ActorType = 'user',
): (payload: Record<string, unknown>) => Identity {
  const subject = names.subject ?? 'sub';
  const roles = names.roles ?? 'roles';
  const tenant = names.tenant ?? 'tenant_id';
  const name = names.name ?? 'name';
  return (payload) => {
    const id = at(payload, subject);
    if (typeof id !== 'string' || !ID.test(id)) {
      throw new AccessError(
        401,
        'token_subject_invalid',
        `The token has no valid "${subject}" claim.`,
      );
    }
    const rawRoles = at(payload, roles);
    const list =
      typeof rawRoles === 'string' ? rawRoles.split(' ') : Array.isArray(rawRoles) ? rawRoles : [];
    const actor: Identity['actor'] = {
      type: actorType,
      id,
      roles: list.filter((r): r is string => typeof r === 'string' && ROLE.test(r)).slice(0, 64),
    };
    const displayName = at(payload, name);
    if (typeof displayName === 'string' && displayName.length <= 256) actor.name = displayName;
    const tenantId = at(payload, tenant);
    if (tenantId !== undefined && (typeof tenantId !== 'string' || !TENANT.test(tenantId))) {
      throw new AccessError(
        401,
        'token_tenant_invalid',
        `The token's "${tenant}" claim is not a tenant id.`,
      );
    }
    return { actor, tenantId: tenantId as string | undefined, claims: payload };
  };
}
