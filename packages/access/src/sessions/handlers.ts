import {
  type Answer,
  diagnostics,
  emptyAnswer,
  getContext,
  jsonAnswer,
  jsonBody,
  type NeutralHandler,
  type NeutralRequest,
} from '@platform/core';
import { AccessError, asAccessError, countRefusal, refusalAnswer } from '../roles/refusal.js';
import { readCookie } from '../tokens/sources.js';
import type { SessionEngine } from './sessions.js';

export interface SessionHandlers {
  /** POST: rotates the refresh token (cookie, or `{ "refreshToken" }` in the body). */
  refresh: NeutralHandler;
  /** POST: ends the session of the refresh token and clears its cookie. Always 204. */
  logout: NeutralHandler;
  /** POST, authenticated: ends every session of the calling user. */
  logoutEverywhere: NeutralHandler;
}

const diag = diagnostics('access');
const NO_STORE = { 'cache-control': 'no-store' };
const NO_TOKEN = new AccessError(401, 'credentials_missing', 'No refresh token was sent.');
const MISSING = new AccessError(401, 'credentials_missing', 'This route needs credentials.');
const onlyPost = () => emptyAnswer(405, { allow: 'POST' });

/** The refresh token and where it came from: the cookie wins over the body. */
async function presented(
  engine: SessionEngine,
  request: NeutralRequest,
): Promise<{ token?: string; fromCookie: boolean; problem?: Answer }> {
  const cookie = readCookie(request, engine.cookies.refresh);
  if (cookie) return { token: cookie, fromCookie: true };
  const body = await jsonBody(request, 16_384);
  if ('problem' in body) return { fromCookie: false, problem: body.problem };
  const token = (body.value as { refreshToken?: unknown } | undefined)?.refreshToken;
  return { token: typeof token === 'string' ? token : undefined, fromCookie: false };
}

/**
 * Neutral handlers for the session routes; mount them with core's `expressRoute`,
 * `fastifyRoute`, `nextRoute` or `honoRoute`. A refresh token read from the cookie is answered
 * with a new refresh cookie (HttpOnly, Secure, SameSite=Strict, `refreshPath`) and is left
 * out of the JSON body; one sent in the body comes back in the body.
 *
 * @example
 * const auth = sessionHandlers(sessions);
 * app.post('/auth/refresh', expressRoute(auth.refresh));
 * app.post('/auth/logout', expressRoute(auth.logout));
 */
export function sessionHandlers(engine: SessionEngine): SessionHandlers {
  // both cookies, each its own Set-Cookie line: a refresh sets the new access and refresh
  // tokens, a refusal or a logout clears both (a revoked access cookie left behind would
  // answer 401 session_revoked on every later request)
  const withCookies = (answer: Answer, cookies: string[]): Answer => ({ ...answer, cookies });
  return {
    async refresh(request) {
      if (request.method !== 'POST') return onlyPost();
      const context = request.context ?? getContext();
      const { token, fromCookie, problem } = await presented(engine, request);
      if (problem) return problem;
      try {
        if (token === undefined) throw NO_TOKEN;
        const pair = await engine.refresh(token);
        if (!fromCookie) return jsonAnswer(200, pair, NO_STORE);
        const { refreshToken: _sent, ...rest } = pair;
        return withCookies(jsonAnswer(200, rest, NO_STORE), engine.setCookies(pair));
      } catch (err) {
        const error = asAccessError(err);
        if (error.status === 503) diag.error(error.code, error.cause ?? error, error.detail);
        // reuse is counted where it is detected
        if (error.code !== 'refresh_reused') countRefusal('refresh', error.code);
        const answer = refusalAnswer(error, context);
        return fromCookie ? withCookies(answer, engine.clearCookies()) : answer;
      }
    },
    async logout(request) {
      if (request.method !== 'POST') return onlyPost();
      const { token } = await presented(engine, request);
      if (token !== undefined) await engine.logout(token);
      return withCookies(emptyAnswer(204, NO_STORE), engine.clearCookies());
    },
    async logoutEverywhere(request) {
      if (request.method !== 'POST') return onlyPost();
      const context = request.context ?? getContext();
      const actor = context?.actor;
      if (!actor) {
        countRefusal('authorize', 'credentials_missing');
        return refusalAnswer(MISSING, context);
      }
      const revoked = await engine.logoutEverywhere(actor.id);
      return withCookies(jsonAnswer(200, { revoked }, NO_STORE), engine.clearCookies());
    },
  };
}
