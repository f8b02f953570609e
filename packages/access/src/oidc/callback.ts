import { timingSafeEqual } from 'node:crypto';
import type { Answer, Diagnostics, NeutralHandler, NeutralRequest } from '@platform/core';
import type { client } from './client.js';
import { clearFlowCookie, type FlowState, openFlow, readCookie } from './cookie.js';
import { exchange } from './exchange.js';
import { defaultIdentity, isIdentity } from './identity.js';
import type { LoginDetails, LoginIdentity, ParsedLoginOptions } from './options.js';
import { countLogin, refuse } from './problems.js';
import type { OidcClaims } from './providers.js';
import { provision } from './provision.js';
import { safeReturnTo } from './return-to.js';

const ERROR_CODE = /^[a-z_]{1,64}$/;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Checked = { flow: FlowState; returnTo: string } | { problem: Answer };

/** The cookie, the provider's error, the state and the code, checked before any network call. */
function check(o: ParsedLoginOptions, request: NeutralRequest, clear: string[]): Checked {
  const id = o.provider.id;
  const flow = openFlow(readCookie(request.header('cookie'), o.cookie.name), o.secrets);
  if (typeof flow === 'string') {
    const detail =
      flow === 'expired'
        ? 'The login took too long; start again.'
        : 'The login cookie is missing or was not signed by this application.';
    return { problem: refuse(id, 400, `oidc_cookie_${flow}`, detail, clear) };
  }
  const error = request.query.get('error');
  if (error !== null) {
    const code = ERROR_CODE.test(error) ? error : 'unknown';
    return {
      problem: refuse(
        id,
        401,
        'oidc_provider_error',
        `The identity provider refused the login (${code}).`,
        clear,
      ),
    };
  }
  const state = request.query.get('state');
  if (state === null || !sameText(state, flow.state)) {
    return {
      problem: refuse(id, 400, 'oidc_state', 'The state does not match this login.', clear),
    };
  }
  if (!request.query.get('code')) {
    return {
      problem: refuse(id, 400, 'oidc_code_missing', 'The callback carries no code.', clear),
    };
  }
  const returnTo = safeReturnTo(flow.returnTo);
  if (returnTo === undefined) {
    return {
      problem: refuse(
        id,
        400,
        'oidc_return_to',
        'returnTo must be a same-origin relative path.',
        clear,
      ),
    };
  }
  return { flow, returnTo };
}

function redirectTo(returnTo: string): Answer {
  return { status: 303, headers: { location: returnTo } };
}

/**
 * GET callback: checks the flow cookie's signature and expiry and the state, exchanges the
 * code with the PKCE verifier, validates the ID token (issuer, audience, signature, nonce),
 * clears the cookie, maps the claims to an identity, provisions a new subject
 * (`onFirstLogin`) and hands over to `onLogin`. Every refusal is problem+json without an
 * identity: 400 for a bad or forged request, 401 when the provider or its tokens refuse.
 */
export function callbackHandler(
  o: ParsedLoginOptions,
  configuration: () => Promise<client.Configuration>,
  diag: Diagnostics,
): NeutralHandler {
  const id = o.provider.id;
  const clear = [clearFlowCookie(o.cookie)];
  return async (request) => {
    const checked = check(o, request, clear);
    if ('problem' in checked) return checked.problem;
    const { flow, returnTo } = checked;
    const url = new URL(o.redirectUri);
    url.search = request.query.toString();
    const exchanged = await exchange(o, configuration, url, flow, diag, clear);
    if ('problem' in exchanged) return exchanged.problem;
    const claims: OidcClaims = exchanged.claims;
    let identity: LoginIdentity;
    try {
      identity = o.identity ? o.identity(claims) : defaultIdentity(claims);
      if (!isIdentity(identity)) throw new TypeError('identity() returned no actor id');
    } catch (err) {
      diag.error('oidc_identity', err, 'Mapping the claims to an identity failed', {
        provider: id,
      });
      return refuse(id, 401, 'oidc_identity', 'The signed-in account cannot be used here.', clear);
    }
    const details: LoginDetails = { provider: id, returnTo };
    const provisioned = await provision(o, identity, claims, details, diag);
    if (provisioned) return { ...provisioned, cookies: clear };
    if (request.context) {
      request.context.actor = { ...identity.actor, roles: [...identity.actor.roles] };
      if (identity.tenant) request.context.tenantId = identity.tenant;
    }
    let answer: Answer;
    try {
      answer = o.onLogin ? await o.onLogin(identity, claims, details) : redirectTo(returnTo);
    } catch (err) {
      diag.error('oidc_on_login', err, 'onLogin failed', { provider: id });
      return refuse(id, 500, 'oidc_on_login', 'The login could not be completed.', clear);
    }
    countLogin(id, 'succeeded');
    return {
      ...answer,
      headers: { ...answer.headers, 'cache-control': 'no-store' },
      cookies: [...clear, ...(answer.cookies ?? [])],
    };
  };
}
