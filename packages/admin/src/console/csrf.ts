import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NeutralRequest } from '@platform/core';
import type { AdminPrincipal } from './access.js';

/** The request header carrying the token on every state-changing call. */
export const CSRF_HEADER = 'x-admin-csrf';
const TTL_MS = 12 * 3_600_000;

export interface CsrfGuard {
  /** A token bound to this principal (actor and tenant), valid for 12 hours. */
  issue(principal: AdminPrincipal, now?: number): string;
  /** Why the request is refused, or undefined when it may change state. */
  refuse(request: NeutralRequest, principal: AdminPrincipal, now?: number): string | undefined;
}

const subject = (p: AdminPrincipal) => `${p.actor}\u0000${p.tenant ?? ''}`;

/** The origin the request was sent to, from Host (and X-Forwarded-Proto behind a proxy). */
function ownOrigin(request: NeutralRequest): string | undefined {
  const host = request.header('x-forwarded-host') ?? request.header('host');
  if (!host) return undefined;
  const proto = request.header('x-forwarded-proto')?.split(',')[0]?.trim();
  return `${proto ?? 'http'}://${host}`;
}

/**
 * Two checks, both needed. Fetch metadata: a browser marks a cross-site request
 * (`Sec-Fetch-Site: cross-site` / `same-site`, or a foreign `Origin`), refused at once.
 * A signed token in a custom header: a form or a cross-origin `fetch` cannot set the header
 * without a CORS preflight the console never grants, and the token (an HMAC of the session's
 * actor and tenant with expiry) cannot be replayed for another user. Stateless: nothing to
 * store, works across instances that share `secret`.
 */
export function csrfGuard(options: { secret?: string | Uint8Array; origins?: string[] } = {}) {
  const key = options.secret ?? randomBytes(32);
  const mac = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  const guard: CsrfGuard = {
    issue(principal, now = Date.now()) {
      const expires = (now + TTL_MS).toString(36);
      return `${expires}.${mac(`${expires}\u0000${subject(principal)}`)}`;
    },
    refuse(request, principal, now = Date.now()) {
      const origin = request.header('origin');
      const listed = origin !== undefined && (options.origins?.includes(origin) ?? false);
      const site = request.header('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none' && !listed)
        return `cross-site request (${site})`;
      if (origin && origin !== ownOrigin(request) && !listed)
        return `foreign origin ${origin.slice(0, 100)}`;
      const token = request.header(CSRF_HEADER) ?? '';
      const [expires = '', sig = ''] = token.split('.');
      const good = Buffer.from(mac(`${expires}\u0000${subject(principal)}`));
      const given = Buffer.from(sig);
      if (given.length !== good.length || !timingSafeEqual(given, good))
        return `missing or invalid ${CSRF_HEADER} header`;
      if (Number.parseInt(expires, 36) < now) return `expired ${CSRF_HEADER} token`;
      return undefined;
    },
  };
  return guard;
}
