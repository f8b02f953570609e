import type { Answer, Diagnostics } from '@platform/core';
import type { LoginDetails, LoginIdentity, ParsedLoginOptions } from './options.js';
import { refuse } from './problems.js';
import type { OidcClaims } from './providers.js';

/**
 * Runs `onFirstLogin` once per new subject: the host's `isKnown`, or the subject store's
 * atomic claim (released again when provisioning throws, so the next login retries it).
 * Fails closed: a store or hook failure refuses the login (503 / 500). Undefined when done.
 */
export async function provision(
  o: ParsedLoginOptions,
  identity: LoginIdentity,
  claims: OidcClaims,
  details: LoginDetails,
  diag: Diagnostics,
): Promise<Answer | undefined> {
  const { onFirstLogin, isKnown, subjects } = o;
  if (!onFirstLogin) return undefined;
  const id = o.provider.id;
  const subject = identity.actor.id;
  let fresh: boolean;
  try {
    fresh = isKnown ? !(await isKnown(identity, claims)) : await subjects.claim(id, subject);
  } catch (err) {
    diag.error('oidc_subjects', err, 'The known-subjects check failed', { provider: id });
    return refuse(id, 503, 'oidc_subjects_unavailable', 'The login cannot be completed right now.');
  }
  if (!fresh) return undefined;
  try {
    await onFirstLogin(identity, claims, details);
    return undefined;
  } catch (err) {
    diag.error('oidc_first_login', err, 'onFirstLogin failed', { provider: id });
    if (!isKnown) await subjects.release(id, subject).catch(() => {});
    return refuse(id, 500, 'oidc_first_login', 'The account could not be set up.');
  }
}
