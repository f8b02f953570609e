import { createHmac, randomBytes } from 'node:crypto';
import {
  type Authenticator,
  authenticator,
  type Credential,
  createSessions,
  memorySessionStore,
  type OidcLogin,
  oidcLogin,
  type SessionEngine,
  type SessionHandlers,
  sessionHandlers,
} from '@platform/access';
import { type NeutralHandler, onShutdown, problemAnswer } from '@platform/core';
import { type DemoAccount, startIdentityProvider } from './identity-provider.js';

/** The demo's users at the in-process identity provider (any password). */
export const DEMO_USERS: Record<string, DemoAccount> = {
  admin: {
    sub: 'admin',
    name: 'Ada Admin',
    email: 'admin@acme.test',
    roles: ['admin'],
    tenant: 'acme',
  },
  operator: {
    sub: 'operator',
    name: 'Otto Operator',
    email: 'operator@acme.test',
    roles: ['operator'],
    tenant: 'acme',
  },
  viewer: {
    sub: 'viewer',
    name: 'Vera Viewer',
    email: 'viewer@acme.test',
    roles: ['viewer'],
    tenant: 'acme',
  },
};

export interface DemoLogin {
  sessions: SessionEngine;
  /** `/auth/refresh`, `/auth/logout`, `/auth/logout-everywhere`. */
  handlers: SessionHandlers;
  /** `/auth/login` and `/auth/callback`: 503 until `listening` named the app's URL. */
  oidc: OidcLogin;
  /** The session's credential: `Authorization: Bearer`, then the access cookie. */
  credential: Credential;
  /**
   * The neutral authenticate step over `credential` (anonymous allowed), built with the same
   * copy of @platform/access as the sessions: Next bundles a copy per route, and an
   * `AccessError` from another copy would not be recognized (a 503 instead of a 401).
   */
  authenticate: Authenticator;
  /**
   * Whether the old `X-User-*` headers still set the identity: `DEMO_HEADER_AUTH=on|off` when
   * set, else on outside production only (they trust the client: in production only a
   * session or a token counts, so nobody reaches an admin route by sending a header).
   */
  headerAuth: boolean;
  /** Tells the login its public URL (the callback is `${url}/auth/callback`); answers help text. */
  listening(url: string): Promise<string>;
}

/**
 * The examples' login: a real OpenID Provider (`oidc-provider`, the demo users above) started
 * in-process on 127.0.0.1 (`DEMO_IDP_PORT`, default a free port), OIDC login with PKCE
 * through @platform/access, and on success a session (memory store; `SESSION_SECRET`, else
 * a random one per start) whose access and refresh tokens land in HttpOnly cookies.
 */
export async function demoLogin(): Promise<DemoLogin> {
  const secret = process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url');
  const sessions = createSessions({
    store: memorySessionStore(),
    secret,
    // the demo serves plain http on loopback; a deployed app keeps Secure cookies
    cookies: { secure: false },
  });
  const idp = await startIdentityProvider(DEMO_USERS, {
    port: Number(process.env.DEMO_IDP_PORT ?? 0),
  });
  onShutdown(() => idp.close(), { name: 'demo-identity-provider' });
  let current: OidcLogin | undefined;
  const unavailable = () =>
    problemAnswer(503, {
      title: 'Login not ready',
      code: 'login_not_ready',
      detail: 'The app is not listening yet.',
    });
  const later =
    (pick: (login: OidcLogin) => NeutralHandler): NeutralHandler =>
    (request) =>
      current ? pick(current)(request) : unavailable();
  const handlers = sessionHandlers(sessions);
  return {
    sessions,
    handlers: {
      ...handlers,
      // access's logout clears the refresh cookie only; a revoked access cookie left behind
      // would answer 401 session_revoked on every later request of this browser
      logout: async (request) => {
        const answer = await handlers.logout(request);
        if (!answer) return answer;
        return {
          ...answer,
          cookies: [...(answer.cookies ?? []), ...sessions.clearCookies().slice(0, 1)],
        };
      },
    },
    oidc: { login: later((l) => l.login), callback: later((l) => l.callback) },
    credential: sessions.credential(),
    authenticate: authenticator({ credentials: sessions.credential(), required: false }),
    headerAuth: headerAuthOn(),
    async listening(listeningOn) {
      // a wildcard address is reached through loopback; DEMO_PUBLIC_URL names any other
      const url = process.env.DEMO_PUBLIC_URL ?? listeningOn.replace('://0.0.0.0', '://127.0.0.1');
      const redirectUri = `${url}/auth/callback`;
      idp.allowRedirect(redirectUri);
      current = oidcLogin({
        provider: {
          id: 'demo',
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          scopes: ['openid', 'profile', 'email', 'roles'],
        },
        redirectUri,
        // a key of its own: the session secret signs JWTs, never also login cookies
        secrets: [createHmac('sha256', secret).update('demo-login-cookie').digest('base64url')],
        cookie: { secure: false },
        defaultReturnTo: '/api/whoami',
        onLogin: async (identity, _claims, { returnTo }) => {
          const pair = await sessions.issue({
            userId: identity.actor.id,
            roles: identity.actor.roles,
            tenantId: identity.tenant,
            name: identity.actor.name,
          });
          return {
            status: 303,
            headers: { location: returnTo },
            cookies: sessions.setCookies(pair),
          };
        },
      });
      return [
        `log in at ${url}/auth/login as ${Object.keys(DEMO_USERS).join(' | ')} (any password; identity provider ${idp.issuer})`,
        `header demo auth (X-User-Id / X-User-Role / X-Tenant-Id): ${headerState()}`,
      ].join('\n');
    },
  };
}

function headerAuthOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = env.DEMO_HEADER_AUTH?.trim().toLowerCase();
  if (set === 'off' || set === 'on') return set === 'on';
  return env.NODE_ENV !== 'production';
}

function headerState(): string {
  return headerAuthOn()
    ? 'on outside production (DEMO_HEADER_AUTH=off turns it off)'
    : 'off (DEMO_HEADER_AUTH=on turns it on)';
}

/** The login's routes, for each framework to mount with core's route adapter. */
export function loginRouteTable(
  login: DemoLogin,
): { method: 'GET' | 'POST'; path: string; handler: NeutralHandler }[] {
  return [
    { method: 'GET', path: '/auth/login', handler: login.oidc.login },
    { method: 'GET', path: '/auth/callback', handler: login.oidc.callback },
    { method: 'POST', path: '/auth/refresh', handler: login.handlers.refresh },
    { method: 'POST', path: '/auth/logout', handler: login.handlers.logout },
    { method: 'POST', path: '/auth/logout-everywhere', handler: login.handlers.logoutEverywhere },
  ];
}

/** The login's own routes, which run without authentication (a stale cookie must not block them). */
export function isAuthRoute(path: string): boolean {
  return path === '/auth' || path.startsWith('/auth/');
}
