import { AccessError } from '../roles/refusal.js';
import type { CredentialRequest } from './identity.js';

/** Longest token accepted; anything longer is refused before parsing. */
export const MAX_TOKEN_LENGTH = 8192;
const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]+)[ ]*$/i;

/** The bearer token of `Authorization`, undefined when there is none; malformed ones are refused. */
export function bearerToken(request: CredentialRequest): string | undefined {
  const value = request.header('authorization');
  if (value === undefined || !/^bearer\b/i.test(value)) return undefined;
  const match = value.length <= MAX_TOKEN_LENGTH + 16 ? BEARER.exec(value) : null;
  if (!match) {
    throw new AccessError(
      401,
      'token_malformed',
      'The Authorization header is not "Bearer <token>".',
    );
  }
  return match[1];
}

/** A cookie's value from the `Cookie` header (first occurrence), undefined when absent. */
export function readCookie(request: CredentialRequest, name: string): string | undefined {
  const header = request.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

/** Where a token is read from: the bearer header first, then the named cookie. */
export function tokenFrom(
  request: CredentialRequest,
  source: { bearer?: boolean; cookie?: string },
): string | undefined {
  const bearer = source.bearer === false ? undefined : bearerToken(request);
  if (bearer !== undefined) return bearer;
  return source.cookie ? readCookie(request, source.cookie) : undefined;
}
