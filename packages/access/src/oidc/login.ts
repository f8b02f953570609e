import type { Diagnostics, NeutralHandler } from '@platform/core';
import { client } from './client.js';
import { flowCookie, sealFlow } from './cookie.js';
import type { ParsedLoginOptions } from './options.js';
import { countLogin, refuse } from './problems.js';
import { safeReturnTo } from './return-to.js';

/**
 * GET login: creates state, nonce (OIDC only) and a PKCE verifier, seals them with the
 * checked `returnTo` in the flow cookie and redirects to the provider with the S256
 * challenge. A `returnTo` that is not a same-origin relative path is refused (400).
 */
export function loginHandler(
  o: ParsedLoginOptions,
  configuration: () => Promise<client.Configuration>,
  diag: Diagnostics,
): NeutralHandler {
  const { provider } = o;
  return async (request) => {
    const asked = request.query.get('returnTo');
    const returnTo = asked === null ? o.defaultReturnTo : safeReturnTo(asked);
    if (returnTo === undefined) {
      return refuse(
        provider.id,
        400,
        'oidc_return_to',
        'returnTo must be a same-origin relative path.',
      );
    }
    let config: client.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      diag.error('oidc_discovery', err, 'OIDC discovery failed', { provider: provider.id });
      return refuse(
        provider.id,
        502,
        'oidc_provider_unreachable',
        'The identity provider could not be reached.',
      );
    }
    const state = client.randomState();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = provider.oauth2 ? undefined : client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      ...provider.params,
      redirect_uri: o.redirectUri,
      scope: provider.scopes.join(' '),
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(nonce ? { nonce } : {}),
    });
    const expires = Math.floor(Date.now() / 1000) + o.cookie.maxAge;
    const sealed = sealFlow({ state, nonce, verifier, returnTo, expires }, o.secrets);
    countLogin(provider.id, 'started');
    return {
      status: 302,
      headers: { location: url.href, 'cache-control': 'no-store' },
      cookies: [flowCookie(o.cookie, sealed)],
    };
  };
}
