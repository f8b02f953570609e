import { randomBytes } from 'node:crypto';
import { diagnostics } from '@platform/core';
import { SignJWT } from 'jose';
import { AccessError, countRefusal } from '../roles/refusal.js';
import type { Credential } from '../tokens/identity.js';
import { tokenFrom } from '../tokens/sources.js';
import { jwtVerifier, type VerifiedJwt } from '../tokens/verifier.js';
import { type CookieOptions, type ResolvedCookies, resolveCookies, setCookie } from './cookies.js';
import { newSessionId, refreshCodec } from './refresh-token.js';
import type { SessionRecord, SessionStore } from './store.js';

export interface SessionsOptions {
  store: SessionStore;
  /** Signs access tokens (HS256) and, through a derived key, refresh tokens. At least 32 bytes. */
  secret: string | Uint8Array;
  /** `iss` of issued access tokens. Default `platform-access`. */
  issuer?: string;
  /** `aud` of issued access tokens. Default `platform-access`. */
  audience?: string;
  /** Access-token lifetime: seconds or `'15m'`, `'24h'`, `'7d'`. Default `'24h'`. */
  accessTtl?: number | string;
  /** Refresh-token (session) lifetime, extended by each rotation. Default `'30d'`. */
  refreshTtl?: number | string;
  /** Look the session up on every access-token check, so logout takes effect at once. Default true. */
  checkRevocation?: boolean;
  cookies?: CookieOptions;
}

/** Who a session is for. */
export interface SessionSubject {
  userId: string;
  roles: readonly string[];
  tenantId?: string;
  name?: string;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh token expires. */
  refreshExpiresIn: number;
  sessionId: string;
}

export interface SessionEngine {
  issue(subject: SessionSubject): Promise<TokenPair>;
  /** Rotates: the presented refresh token is spent, a new pair comes back. Reuse revokes the family. */
  refresh(refreshToken: string): Promise<TokenPair>;
  /** Ends the session of a refresh token; false when it was not live. */
  logout(refreshToken: string): Promise<boolean>;
  /** Ends every session of a user; answers how many. */
  logoutEverywhere(userId: string): Promise<number>;
  /** Verifies an access token this engine issued, and that its session is still live. */
  verify(accessToken: string): Promise<VerifiedJwt>;
  /** A credential for `authenticate`: the bearer header, then the access cookie. */
  credential(): Credential;
  /** `Set-Cookie` values for both tokens (HttpOnly, Secure, SameSite). */
  setCookies(pair: TokenPair): string[];
  /** `Set-Cookie` values that clear both cookies. */
  clearCookies(): string[];
  readonly cookies: ResolvedCookies;
  readonly store: SessionStore;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds of `900`, `'15m'`, `'24h'`, `'30d'`. */
export function ttlSeconds(value: number | string, what: string): number {
  const m = typeof value === 'string' ? /^(\d{1,7})\s*([smhd])$/.exec(value.trim()) : null;
  const seconds =
    typeof value === 'number'
      ? value
      : m
        ? Number(m[1]) * (UNITS[m[2] as string] ?? 0)
        : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 400 * 86_400) {
    throw new TypeError(`sessions: ${what} must be 1 s..400 d, as seconds or '15m', '24h', '30d'`);
  }
  return seconds;
}

const diag = diagnostics('access');
const INVALID = () => new AccessError(401, 'refresh_invalid', 'The refresh token is not valid.');

/**
 * Sessions: issues an access token (a JWT, default 24 h) and a refresh token per login,
 * rotates refresh tokens with reuse detection (an old one coming back revokes the whole
 * session), and revokes one session or every session of a user. Stores: memory, Redis,
 * PostgreSQL.
 *
 * @example
 * const sessions = createSessions({ store: memorySessionStore(), secret: process.env.SESSION_SECRET! });
 * const pair = await sessions.issue({ userId: 'u1', roles: ['viewer'] });
 * app.use('/api', authenticate({ credentials: sessions.credential() }));
 */
export function createSessions(options: SessionsOptions): SessionEngine {
  const secret =
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (!(secret instanceof Uint8Array) || secret.byteLength < 32) {
    throw new TypeError('sessions: secret must be at least 32 bytes');
  }
  if (typeof options.store?.rotate !== 'function')
    throw new TypeError('sessions: store must be a SessionStore');
  const { store } = options;
  const issuer = options.issuer ?? 'platform-access';
  const audience = options.audience ?? 'platform-access';
  const accessTtl = ttlSeconds(options.accessTtl ?? '24h', 'accessTtl');
  const refreshTtl = ttlSeconds(options.refreshTtl ?? '30d', 'refreshTtl');
  const cookies = resolveCookies(options.cookies);
  const codec = refreshCodec(secret);
  const verifier = jwtVerifier({ secret, issuer, audience, algorithms: ['HS256'] });
  const checkRevocation = options.checkRevocation ?? true;

  const pairFor = async (s: SessionRecord): Promise<TokenPair> => {
    const claims: Record<string, unknown> = { roles: s.roles, sid: s.id };
    if (s.tenantId !== undefined) claims.tenant_id = s.tenantId;
    if (s.name !== undefined) claims.name = s.name;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(s.userId)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + accessTtl)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(secret);
    return {
      tokenType: 'Bearer',
      accessToken,
      refreshToken: codec.encode(s.id, s.generation),
      expiresIn: accessTtl,
      refreshExpiresIn: Math.max(0, Math.floor((s.expiresAt - Date.now()) / 1000)),
      sessionId: s.id,
    };
  };

  const engine: SessionEngine = {
    cookies,
    store,
    async issue(subject) {
      if (typeof subject?.userId !== 'string' || subject.userId === '') {
        throw new TypeError('sessions.issue: userId must be a non-empty string');
      }
      const now = Date.now();
      const session: SessionRecord = {
        id: newSessionId(),
        userId: subject.userId,
        roles: [...subject.roles],
        generation: 0,
        createdAt: now,
        expiresAt: now + refreshTtl * 1000,
      };
      if (subject.tenantId !== undefined) session.tenantId = subject.tenantId;
      if (subject.name !== undefined) session.name = subject.name;
      await store.create(session);
      return pairFor(session);
    },
    async refresh(refreshToken) {
      const parts = codec.decode(refreshToken);
      if (!parts) throw INVALID();
      const result = await store.rotate(
        parts.sessionId,
        parts.generation,
        Date.now() + refreshTtl * 1000,
      );
      if (result.outcome === 'rotated') return pairFor(result.session);
      if (result.outcome === 'reused') {
        countRefusal('refresh', 'refresh_reused');
        diag.warn('refresh_reused', 'A spent refresh token came back: its session is revoked.', {
          userId: result.userId,
        });
        throw new AccessError(
          401,
          'refresh_reused',
          'The refresh token was already used; the session is revoked.',
        );
      }
      throw INVALID();
    },
    async logout(refreshToken) {
      const parts = codec.decode(refreshToken);
      return parts ? store.revoke(parts.sessionId) : false;
    },
    logoutEverywhere: (userId) => store.revokeUser(userId),
    async verify(accessToken) {
      const verified = await verifier.verify(accessToken);
      const sid = verified.payload.sid;
      if (typeof sid !== 'string')
        throw new AccessError(401, 'token_claim_invalid', 'The token has no session.');
      if (checkRevocation && !(await store.get(sid))) {
        throw new AccessError(
          401,
          'session_revoked',
          'The session has ended (logged out or revoked).',
        );
      }
      return verified;
    },
    credential() {
      return async (request) => {
        const token = tokenFrom(request, { cookie: cookies.access });
        return token === undefined ? undefined : (await engine.verify(token)).identity;
      };
    },
    setCookies: (pair) => [
      setCookie(
        cookies,
        cookies.access,
        pair.accessToken,
        pair.expiresIn,
        cookies.path,
        cookies.sameSite,
      ),
      setCookie(
        cookies,
        cookies.refresh,
        pair.refreshToken,
        pair.refreshExpiresIn,
        cookies.refreshPath,
        'Strict',
      ),
    ],
    clearCookies: () => [
      setCookie(cookies, cookies.access, '', 0, cookies.path, cookies.sameSite),
      setCookie(cookies, cookies.refresh, '', 0, cookies.refreshPath, 'Strict'),
    ],
  };
  return engine;
}
