import { ConfigError } from '@platform/core';
import { githubProfile } from './github.js';

/** The claims a login ends with: an ID token's (OIDC) or a profile API's (OAuth2-only). */
export type OidcClaims = Record<string, unknown> & { sub: string };

/** An OAuth2-only provider: endpoints known up front, no ID token, claims from a profile API. */
export interface OAuth2Endpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Reads the signed-in user's claims with the access token. */
  profile(accessToken: string, signal: AbortSignal): Promise<OidcClaims>;
}

/**
 * Where users sign in. A preset (`googleProvider`, `microsoftProvider`, `githubProvider`) or
 * any OpenID Provider by issuer (its discovery document is fetched on first use).
 */
export interface OidcProvider {
  /** A short name (`google`, `github`, ...): namespaces subjects, labels metrics. */
  id: string;
  /** The issuer identifier; the ID token's `iss` must equal it. */
  issuer: string;
  clientId: string;
  /** Confidential clients; public clients (PKCE only) leave it out. */
  clientSecret?: string;
  scopes: readonly string[];
  /** Extra authorization-request parameters (`prompt`, `hd`, `login_hint`, ...). */
  params?: Readonly<Record<string, string>>;
  /** Set for OAuth2-only providers (GitHub): no discovery, no ID token, no nonce. */
  oauth2?: OAuth2Endpoints;
}

/** The registered application at a preset provider. */
export interface ProviderCredentials {
  clientId: string;
  clientSecret?: string;
  /** Replaces the preset's scopes. */
  scopes?: readonly string[];
  params?: Readonly<Record<string, string>>;
}

/**
 * Google (OpenID Connect): issuer `https://accounts.google.com`, scopes `openid email profile`.
 *
 * @example
 * const provider = googleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET });
 */
export function googleProvider(credentials: ProviderCredentials): OidcProvider {
  return {
    id: 'google',
    issuer: 'https://accounts.google.com',
    scopes: ['openid', 'email', 'profile'],
    ...credentials,
  };
}

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const TENANT = /^[A-Za-z0-9.-]{1,253}$/;

/**
 * Microsoft Entra ID for one tenant (its id or a verified domain): issuer
 * `https://login.microsoftonline.com/<tenant>/v2.0`. The multi-tenant aliases (`common`,
 * `organizations`, `consumers`) are refused: their ID tokens carry each user's own tenant as
 * issuer, which a fixed-issuer check cannot accept safely.
 *
 * @example
 * const provider = microsoftProvider({ tenant: env.ENTRA_TENANT_ID, clientId: env.ENTRA_CLIENT_ID, clientSecret: env.ENTRA_SECRET });
 */
export function microsoftProvider(
  credentials: ProviderCredentials & { tenant: string },
): OidcProvider {
  const { tenant, ...rest } = credentials;
  if (
    typeof tenant !== 'string' ||
    !TENANT.test(tenant) ||
    MULTI_TENANT.has(tenant.toLowerCase())
  ) {
    const message = `must be a tenant id or domain, not a multi-tenant alias (got ${JSON.stringify(tenant)})`;
    throw new ConfigError(`microsoftProvider tenant ${message}`, [{ path: 'tenant', message }]);
  }
  return {
    id: 'microsoft',
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    scopes: ['openid', 'email', 'profile'],
    ...rest,
  };
}

/**
 * GitHub (OAuth2 only: no discovery, no ID token, so no nonce). The code is exchanged with
 * PKCE as for the others; the claims come from `GET /user` (`sub` is the numeric user id, a
 * login can be renamed) and `GET /user/emails` (the primary address, and whether GitHub
 * verified it), read with the access token. `apiBase` serves GitHub Enterprise Server.
 *
 * @example
 * const provider = githubProvider({ clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET });
 */
export function githubProvider(
  credentials: ProviderCredentials & { webBase?: string; apiBase?: string },
): OidcProvider {
  const {
    webBase = 'https://github.com',
    apiBase = 'https://api.github.com',
    ...rest
  } = credentials;
  return {
    id: 'github',
    issuer: webBase,
    scopes: ['read:user', 'user:email'],
    ...rest,
    oauth2: {
      authorizationEndpoint: `${webBase}/login/oauth/authorize`,
      tokenEndpoint: `${webBase}/login/oauth/access_token`,
      profile: (accessToken, signal) => githubProfile(apiBase, accessToken, signal),
    },
  };
}
