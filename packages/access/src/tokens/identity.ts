import {
  type Actor,
  type Answer,
  diagnostics,
  type RequestContext,
  requestSlot,
} from '@platform/core';
import { AccessError, asAccessError, countRefusal, refusalAnswer } from '../roles/refusal.js';

/** Who a credential proved the caller to be. */
export interface Identity {
  actor: Actor;
  tenantId?: string;
  /** The verified claims (JWT payload), for handlers that need more than the actor. */
  claims?: Readonly<Record<string, unknown>>;
}

/** What a credential reader sees of a request: its headers. */
export interface CredentialRequest {
  header(name: string): string | undefined;
}

/**
 * Reads one kind of credential (a bearer JWT, a session cookie, an API key): `undefined` when
 * the request carries none of its kind, the identity when it carries a good one, and a thrown
 * `AccessError` when it carries a bad one.
 */
export type Credential = (
  request: CredentialRequest,
) => Identity | undefined | Promise<Identity | undefined>;

export interface AuthenticateOptions {
  /** Tried in order; the first that finds its kind of credential decides. */
  credentials: Credential | readonly Credential[];
  /** Refuse (401) a request with no credential at all. Default true; false lets it through anonymous. */
  required?: boolean;
}

/** The neutral step every binding runs: proves who is calling and sets it on the context. */
export interface Authenticator {
  /** Undefined to go on (identity set, or anonymous allowed); the problem answer otherwise. */
  run(request: CredentialRequest, context: RequestContext | undefined): Promise<Answer | undefined>;
}

const diag = diagnostics('access');
const claimsSlot = requestSlot<Readonly<Record<string, unknown>>>('access.claims');

/** The verified claims of the current request's credential, if it had any. */
export function identityClaims(
  context: RequestContext | undefined,
): Readonly<Record<string, unknown>> | undefined {
  return claimsSlot.get(context);
}

/**
 * Puts an identity on the request context: `actor`, `tenantId` and the claims. A tenant
 * already on the context (from `resolveTenant`) that differs from the credential's is an
 * AccessError (403 `tenant_mismatch`): a header cannot move a caller into another tenant.
 *
 * @example
 * establishIdentity(getContext(), { actor: { type: 'apiKey', id: key.id, roles: key.roles } });
 */
export function establishIdentity(context: RequestContext | undefined, identity: Identity): void {
  if (!context) return;
  const { tenantId } = identity;
  if (tenantId !== undefined && context.tenantId !== undefined && context.tenantId !== tenantId) {
    throw new AccessError(403, 'tenant_mismatch', 'The credential belongs to another tenant.');
  }
  context.actor = { ...identity.actor, roles: [...identity.actor.roles] };
  if (tenantId !== undefined) context.tenantId = tenantId;
  if (identity.claims) claimsSlot.set(context, identity.claims);
}

const MISSING = new AccessError(401, 'credentials_missing', 'This route needs credentials.');

/**
 * The authentication step: runs the credentials in order, sets the identity on the context
 * (`establishIdentity`), and answers 401 problem+json (or 503 when a key set or store could
 * not answer) otherwise. Bindings: `authenticate` in `@platform/access/express`, `/fastify`,
 * `/hono`, `withAuthentication` in `/next`.
 *
 * @example
 * const auth = authenticator({ credentials: bearerJwt(jwtVerifier({ jwks: 'https://idp/jwks', issuer, audience })) });
 * const refusal = await auth.run(request, getContext());
 */
export function authenticator(options: AuthenticateOptions): Authenticator {
  const list: readonly Credential[] = Array.isArray(options.credentials)
    ? options.credentials
    : [options.credentials as Credential];
  if (list.length === 0 || list.some((c) => typeof c !== 'function')) {
    throw new TypeError('authenticator: credentials must be one or more functions');
  }
  const required = options.required ?? true;
  let warned = false;
  return {
    async run(request, context) {
      try {
        for (const credential of list) {
          const identity = await credential(request);
          if (identity === undefined) continue;
          if (!context && !warned) {
            warned = true;
            diag.warn(
              'no_request_context',
              "authenticate ran outside a request context: mount core's requestContext first, or guards see no identity.",
            );
          }
          establishIdentity(context, identity);
          return undefined;
        }
        if (!required) return undefined;
        throw MISSING;
      } catch (err) {
        const error = asAccessError(err);
        countRefusal('authenticate', error.code);
        // the code and detail only: never the credential or what the client sent
        if (error.status === 503) diag.error(error.code, error.cause ?? error, error.detail);
        else diag.debug(error.code, error.detail, { status: error.status });
        return refusalAnswer(error, context);
      }
    },
  };
}
