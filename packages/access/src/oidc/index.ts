import { ConfigError, diagnostics, type NeutralHandler } from '@platform/core';
import { callbackHandler } from './callback.js';
import { clientConfiguration } from './client.js';
import { loginHandler } from './login.js';
import { type OidcLoginOptions, parseLoginOptions } from './options.js';
import { safeReturnTo } from './return-to.js';

export { defaultIdentity } from './identity.js';
export type { LoginDetails, LoginIdentity, OidcLoginOptions } from './options.js';
export {
  githubProvider,
  googleProvider,
  microsoftProvider,
  type OAuth2Endpoints,
  type OidcClaims,
  type OidcProvider,
  type ProviderCredentials,
} from './providers.js';
export { safeReturnTo } from './return-to.js';
export {
  memorySubjects,
  type PostgresSubjectsOptions,
  postgresSubjects,
  type SubjectStore,
} from './subjects.js';

/** The two neutral handlers of a login: mount `login` anywhere, `callback` at `redirectUri`. */
export interface OidcLogin {
  login: NeutralHandler;
  callback: NeutralHandler;
}

/**
 * OIDC (or OAuth2) login with PKCE through openid-client. `login` redirects to the provider
 * with state, nonce and an S256 challenge sealed in a signed, HttpOnly, SameSite=Lax,
 * Secure, short-lived cookie; `callback` checks them, exchanges the code, validates the ID
 * token and hands the identity to `onFirstLogin` (once per new subject) and `onLogin`.
 * Options are checked here and a ConfigError names each bad field.
 *
 * @example
 * const auth = oidcLogin({
 *   provider: googleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
 *   redirectUri: 'https://app.example.com/auth/callback',
 *   secrets: [env.LOGIN_COOKIE_SECRET],
 *   onFirstLogin: (identity, claims) => users.create(identity.actor.id, claims.email),
 *   onLogin: (identity, _claims, { returnTo }) => sessions.issue(identity, returnTo),
 * });
 * app.get('/auth/login', expressRoute(auth.login));
 * app.get('/auth/callback', expressRoute(auth.callback));
 */
export function oidcLogin(options: OidcLoginOptions): OidcLogin {
  const parsed = parseLoginOptions(options);
  if (safeReturnTo(parsed.defaultReturnTo) === undefined) {
    const message = 'must be a same-origin relative path';
    throw new ConfigError(`Invalid oidcLogin options:\n  - defaultReturnTo: ${message}`, [
      { path: 'defaultReturnTo', message },
    ]);
  }
  const o = parsed;
  const diag = diagnostics('@platform/access', options);
  const configuration = clientConfiguration(o.provider, {
    insecure: o.insecureIssuer,
    timeout: o.timeout,
  });
  return {
    login: loginHandler(o, configuration, diag),
    callback: callbackHandler(o, configuration, diag),
  };
}
