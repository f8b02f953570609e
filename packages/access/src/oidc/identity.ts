import type { LoginIdentity } from './options.js';
import type { OidcClaims } from './providers.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/**
 * The default claims → identity mapping: `sub` is the actor id, the name is `name`, then
 * `preferred_username`, then `email`; roles come from a `roles` claim (an array of strings,
 * none otherwise) and the tenant from a `tenant` (or Entra's `tid`) claim. Hosts whose roles
 * live in their own database map them in `identity` or `onLogin`.
 */
export function defaultIdentity(claims: OidcClaims): LoginIdentity {
  const name = text(claims.name) ?? text(claims.preferred_username) ?? text(claims.email);
  const tenant = text(claims.tenant) ?? text(claims.tid);
  return {
    actor: {
      type: 'user',
      id: claims.sub,
      roles: strings(claims.roles),
      ...(name ? { name } : {}),
    },
    ...(tenant ? { tenant } : {}),
  };
}

/** True when a host's mapping produced something usable as an identity. */
export function isIdentity(value: unknown): value is LoginIdentity {
  const actor = (value as LoginIdentity | undefined)?.actor;
  return (
    typeof actor?.id === 'string' &&
    actor.id.length > 0 &&
    actor.type === 'user' &&
    Array.isArray(actor.roles) &&
    actor.roles.every((r) => typeof r === 'string')
  );
}
