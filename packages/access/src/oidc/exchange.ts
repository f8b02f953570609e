import type { Answer, Diagnostics } from '@platform/core';
import { client } from './client.js';
import type { FlowState } from './cookie.js';
import type { ParsedLoginOptions } from './options.js';
import { isTransportError, refuse } from './problems.js';
import type { OidcClaims } from './providers.js';

/**
 * Exchanges the code at the token endpoint with the PKCE verifier; openid-client checks the
 * state again, the issuer (`iss` parameter when sent) and, for OIDC, the ID token's
 * signature, issuer, audience, expiry and nonce. OAuth2-only providers read the claims from
 * their profile API instead.
 */
export async function exchange(
  o: ParsedLoginOptions,
  configuration: () => Promise<client.Configuration>,
  url: URL,
  flow: FlowState,
  diag: Diagnostics,
  clear: string[],
): Promise<{ claims: OidcClaims } | { problem: Answer }> {
  const { provider } = o;
  try {
    const config = await configuration();
    const tokens = await client.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      ...(provider.oauth2 ? { idTokenExpected: false } : { expectedNonce: flow.nonce }),
    });
    if (provider.oauth2) {
      const signal = AbortSignal.timeout(o.timeout * 1000);
      return { claims: await provider.oauth2.profile(tokens.access_token, signal) };
    }
    const claims = tokens.claims();
    if (!claims) throw new Error('the token response carries no ID token');
    if (!o.userinfo) return { claims: claims as OidcClaims };
    // fetchUserInfo refuses a response whose `sub` differs from the ID token's
    const more = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { claims: { ...more, ...claims } as OidcClaims };
  } catch (err) {
    if (isTransportError(err)) {
      diag.error('oidc_provider_unreachable', err, 'The identity provider could not be reached', {
        provider: provider.id,
      });
      return {
        problem: refuse(
          provider.id,
          502,
          'oidc_provider_unreachable',
          'The identity provider could not be reached.',
          clear,
        ),
      };
    }
    diag.warn('oidc_exchange', 'The code exchange or ID token was refused', {
      provider: provider.id,
      reason: err instanceof Error ? err.message.slice(0, 200) : 'unknown',
      error: (err as { error?: unknown })?.error,
    });
    return {
      problem: refuse(
        provider.id,
        401,
        'oidc_exchange',
        'The authorization code or ID token was refused.',
        clear,
      ),
    };
  }
}
