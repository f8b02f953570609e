import * as client from 'openid-client';
import type { OidcProvider } from './providers.js';

function authOf(provider: OidcProvider): client.ClientAuth {
  return provider.clientSecret ? client.ClientSecretPost(provider.clientSecret) : client.None();
}

/**
 * The provider's openid-client configuration, discovered once (a failed discovery is retried
 * on the next login, not cached). OAuth2-only providers are configured from their endpoints.
 * `insecure` allows an `http://` issuer, which options only permit on loopback (tests, demos).
 */
export function clientConfiguration(
  provider: OidcProvider,
  options: { insecure: boolean; timeout: number },
): () => Promise<client.Configuration> {
  let pending: Promise<client.Configuration> | undefined;
  const build = async () => {
    let config: client.Configuration;
    if (provider.oauth2) {
      config = new client.Configuration(
        {
          issuer: provider.issuer,
          authorization_endpoint: provider.oauth2.authorizationEndpoint,
          token_endpoint: provider.oauth2.tokenEndpoint,
        },
        provider.clientId,
        provider.clientSecret,
        authOf(provider),
      );
      if (options.insecure) client.allowInsecureRequests(config);
    } else {
      config = await client.discovery(
        new URL(provider.issuer),
        provider.clientId,
        provider.clientSecret,
        authOf(provider),
        {
          execute: options.insecure ? [client.allowInsecureRequests] : [],
          timeout: options.timeout,
        },
      );
    }
    config.timeout = options.timeout;
    return config;
  };
  return () => {
    pending ??= build().catch((err) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

export { client };
