import { type Answer, ConfigError, type DiagnosticsOptions, parseOptions } from '@platform/core';
import { z } from 'zod';
import type { OidcClaims, OidcProvider } from './providers.js';
import { memorySubjects, type SubjectStore } from './subjects.js';

/** Who signed in, in @platform's terms: core's actor, and a tenant when the claims name one. */
export interface LoginIdentity {
  actor: { type: 'user'; id: string; roles: string[]; name?: string };
  tenant?: string;
}

/** What the host's hooks learn besides the identity. */
export interface LoginDetails {
  provider: string;
  /** The checked, same-origin path the user asked to return to. */
  returnTo: string;
}

export interface OidcLoginOptions extends DiagnosticsOptions {
  provider: OidcProvider;
  /** The absolute URL the `callback` handler is mounted at, as registered at the provider. */
  redirectUri: string;
  /**
   * HMAC keys for the flow cookie, at least 32 characters each. The first signs; all verify,
   * so a new key goes first and the old one stays until the cookies it signed expired.
   */
  secrets: readonly string[];
  cookie?: {
    /** Default `__Host-platform-oidc` (`platform-oidc` when not Secure). */
    name?: string;
    /** Default true; false is accepted only for an `http://localhost` (or loopback) redirect. */
    secure?: boolean;
    /** Seconds a login may take, default 600. */
    maxAge?: number;
  };
  /** Where to land when the login names no `returnTo`. Default `/`. */
  defaultReturnTo?: string;
  /** Claims → identity. Default: `sub`, `name`/`preferred_username`/`email`, `roles`, `tenant`. */
  identity?: (claims: OidcClaims) => LoginIdentity;
  /** Known subjects (memory by default), so `onFirstLogin` runs once per new subject. */
  subjects?: SubjectStore;
  /** Instead of `subjects`: the host's own check (a users table). */
  isKnown?: (identity: LoginIdentity, claims: OidcClaims) => boolean | Promise<boolean>;
  /** Provisioning: called once per new subject, before `onLogin`. A throw fails the login. */
  onFirstLogin?: (
    identity: LoginIdentity,
    claims: OidcClaims,
    details: LoginDetails,
  ) => void | Promise<void>;
  /** Issues the host's session. Default: a 303 redirect to `returnTo`. */
  onLogin?: (
    identity: LoginIdentity,
    claims: OidcClaims,
    details: LoginDetails,
  ) => Answer | Promise<Answer>;
  /**
   * Also read the UserInfo endpoint after the code exchange and add its claims to the ID
   * token's (which win; `sub` must match). For providers that keep the ID token slim.
   */
  userinfo?: boolean;
  /** Seconds allowed for each call to the provider, default 10. */
  timeout?: number;
}

const fn = z.custom<(...a: never[]) => unknown>(
  (v) => typeof v === 'function',
  'must be a function',
);
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const schema = z.object({
  provider: z.object({
    id: z.string().regex(/^[a-z0-9_-]{1,64}$/),
    issuer: z.url(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).min(1),
  }),
  redirectUri: z.url({ protocol: /^https?$/ }),
  secrets: z.array(z.string().min(32, 'must be at least 32 characters')).min(1),
  cookie: z
    .object({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .optional(),
      secure: z.boolean().default(true),
      maxAge: z.number().int().min(30).max(3600).default(600),
    })
    .default({ secure: true, maxAge: 600 }),
  defaultReturnTo: z.string().default('/'),
  identity: fn.optional(),
  subjects: z
    .custom<SubjectStore>((v) => typeof (v as SubjectStore)?.claim === 'function')
    .optional(),
  isKnown: fn.optional(),
  onFirstLogin: fn.optional(),
  onLogin: fn.optional(),
  userinfo: z.boolean().default(false),
  timeout: z.number().positive().max(120).default(10),
});

/** Checks the options, naming each bad field; refuses an insecure cookie off localhost. */
export function parseLoginOptions(options: OidcLoginOptions) {
  const parsed = parseOptions(schema, options, 'oidcLogin');
  const redirect = new URL(parsed.redirectUri);
  if (
    !parsed.cookie.secure &&
    !(redirect.protocol === 'http:' && LOOPBACK.has(redirect.hostname))
  ) {
    const message = 'may be false only when redirectUri is http://localhost or a loopback address';
    throw new ConfigError(`Invalid oidcLogin options:\n  - cookie.secure: ${message}`, [
      { path: 'cookie.secure', message },
    ]);
  }
  const name =
    parsed.cookie.name ?? (parsed.cookie.secure ? '__Host-platform-oidc' : 'platform-oidc');
  return {
    ...parsed,
    cookie: { name, secure: parsed.cookie.secure, maxAge: parsed.cookie.maxAge },
    // zod checked these; the typed originals (the full provider, the hooks) ride on
    provider: options.provider,
    identity: options.identity,
    isKnown: options.isKnown,
    onFirstLogin: options.onFirstLogin,
    onLogin: options.onLogin,
    subjects: options.subjects ?? memorySubjects(),
    insecureIssuer: (() => {
      const issuer = new URL(options.provider.issuer);
      return issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    })(),
  };
}

export type ParsedLoginOptions = ReturnType<typeof parseLoginOptions>;
