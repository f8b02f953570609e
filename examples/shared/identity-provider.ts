import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** A demo account: its claims are what the ID token carries. */
export interface DemoAccount {
  sub: string;
  name?: string;
  email?: string;
  roles?: string[];
  tenant?: string;
}

export interface DemoIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lets a redirect URI in after start (apps listen on ports chosen at run time). */
  allowRedirect(uri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Provider (the certified `oidc-provider`) on 127.0.0.1, for tests and demos:
 * one confidential client that must use PKCE (S256), the built-in development interactions
 * (any login name is accepted, any password), and accounts looked up in `accounts` (unknown
 * login names get a bare `sub`). For tests and the examples' demo only: `@platform/access`'s
 * tests use it too, and it never ships in a package (`oidc-provider` is a dependency of this
 * private workspace folder alone). `port` 0 (the default) picks a free one.
 */
export async function startIdentityProvider(
  accounts: Record<string, DemoAccount> = {},
  options: { slimIdToken?: boolean; port?: number } = {},
): Promise<DemoIdentityProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'platform-demo';
  const clientSecret = 'demo-client-secret-0123456789abcdef';
  const redirects: string[] = [];
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: ['http://127.0.0.1/unused'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    // the claims go in the ID token itself, as Google's do (slim: only via UserInfo)
    conformIdTokenClaims: options.slimIdToken === true,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    features: { devInteractions: { enabled: true } },
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email', 'email_verified'],
      roles: ['roles', 'tenant'],
    },
    scopes: ['openid', 'profile', 'email', 'roles'],
    cookies: { keys: ['demo-idp-cookie-key-0123456789abcdef'] },
    async findAccount(_ctx, sub) {
      const account = accounts[sub] ?? { sub };
      return {
        accountId: sub,
        async claims() {
          return { ...account, sub, email_verified: account.email !== undefined };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  // Redirect URIs are checked against this list at each request, so apps can join later.
  const Client = provider.Client;
  const original = Client.prototype.redirectUriAllowed;
  Client.prototype.redirectUriAllowed = function allowed(uri: string) {
    return redirects.includes(uri) || original.call(this, uri);
  };
  const callback = provider.callback();
  handler = (req, res) => callback(req, res);
  return {
    issuer,
    clientId,
    clientSecret,
    allowRedirect: (uri) => void redirects.push(uri),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
