export interface CookieOptions {
  /** Access-token cookie name. Default `access_token`. */
  access?: string;
  /** Refresh-token cookie name. Default `refresh_token`. */
  refresh?: string;
  /** Default `Lax` for the access cookie; the refresh cookie is always `Strict`. */
  sameSite?: 'Strict' | 'Lax';
  /** Only false for plain-http development on localhost. Default true. */
  secure?: boolean;
  /** Path of the access cookie. Default `/`. */
  path?: string;
  /** Path of the refresh cookie: only the refresh and logout routes need it. Default `/auth`. */
  refreshPath?: string;
  domain?: string;
}

export type ResolvedCookies = Required<Omit<CookieOptions, 'domain'>> & { domain?: string };

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PATH = /^\/[A-Za-z0-9._~/-]*$/;

export function resolveCookies(options: CookieOptions = {}): ResolvedCookies {
  const c = {
    access: options.access ?? 'access_token',
    refresh: options.refresh ?? 'refresh_token',
    sameSite: options.sameSite ?? 'Lax',
    secure: options.secure ?? true,
    path: options.path ?? '/',
    refreshPath: options.refreshPath ?? '/auth',
    domain: options.domain,
  };
  if (!NAME.test(c.access) || !NAME.test(c.refresh))
    throw new TypeError('sessions: cookie names must be tokens');
  if (!PATH.test(c.path) || !PATH.test(c.refreshPath))
    throw new TypeError('sessions: cookie paths must start with /');
  if (c.domain !== undefined && !/^[A-Za-z0-9.-]{1,253}$/.test(c.domain))
    throw new TypeError('sessions: bad cookie domain');
  return c;
}

/** One `Set-Cookie` value: always HttpOnly; Secure unless switched off for localhost. */
export function setCookie(
  c: ResolvedCookies,
  name: string,
  value: string,
  maxAgeSec: number,
  path: string,
  sameSite: 'Strict' | 'Lax',
): string {
  const parts = [
    `${name}=${value}`,
    `Path=${path}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
    'HttpOnly',
    `SameSite=${sameSite}`,
  ];
  if (c.secure) parts.push('Secure');
  if (c.domain) parts.push(`Domain=${c.domain}`);
  return parts.join('; ');
}
