import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessError } from '../roles/refusal.js';
import { memorySessionStore } from './memory.js';
import { createSessions, ttlSeconds } from './sessions.js';
import type { SessionStore } from './store.js';

const secret = 'sessions-secret-of-at-least-32-bytes!';
const subject = { userId: 'u-1', roles: ['operator'], tenantId: 'acme', name: 'Ann' };

async function refused(p: Promise<unknown>): Promise<AccessError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AccessError);
  return err as AccessError;
}

describe('createSessions', () => {
  it('issues a 24 h access token by default, carrying roles, tenant and session id', async () => {
    const sessions = createSessions({ store: memorySessionStore(), secret });
    const pair = await sessions.issue(subject);
    const claims = decodeJwt(pair.accessToken);
    expect((claims.exp as number) - (claims.iat as number)).toBe(86_400);
    expect(pair.expiresIn).toBe(86_400);
    expect(claims).toMatchObject({
      sub: 'u-1',
      roles: ['operator'],
      tenant_id: 'acme',
      sid: pair.sessionId,
    });
    expect((await sessions.verify(pair.accessToken)).identity).toMatchObject({
      actor: { type: 'user', id: 'u-1', roles: ['operator'], name: 'Ann' },
      tenantId: 'acme',
    });
    const short = createSessions({
      store: memorySessionStore(),
      secret,
      accessTtl: '15m',
      refreshTtl: 3600,
    });
    const p2 = await short.issue(subject);
    expect(p2.expiresIn).toBe(900);
    expect(p2.refreshExpiresIn).toBeGreaterThan(3590);
  });

  it('rotates refresh tokens; a spent one revokes the whole session, access tokens included', async () => {
    const sessions = createSessions({ store: memorySessionStore(), secret });
    const first = await sessions.issue(subject);
    const second = await sessions.refresh(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = await sessions.refresh(second.refreshToken);
    await expect(sessions.verify(third.accessToken)).resolves.toBeDefined();

    // an attacker replays the first (stolen) token
    const reuse = await refused(sessions.refresh(first.refreshToken));
    expect([reuse.status, reuse.code]).toEqual([401, 'refresh_reused']);
    // the legitimate holder's newest tokens are dead too
    expect((await refused(sessions.refresh(third.refreshToken))).code).toBe('refresh_invalid');
    expect((await refused(sessions.verify(third.accessToken))).code).toBe('session_revoked');
  });

  it('refuses a forged refresh token without asking the store', async () => {
    const calls: string[] = [];
    const inner = memorySessionStore();
    const store: SessionStore = {
      ...inner,
      rotate: (...args) => {
        calls.push('rotate');
        return inner.rotate(...args);
      },
    };
    const sessions = createSessions({ store, secret });
    const pair = await sessions.issue(subject);
    const [sid, gen] = pair.refreshToken.split('.');
    for (const bad of [
      `${sid}.${gen}.${'A'.repeat(43)}`,
      `${sid}.${Number(gen) + 1}.x`,
      'garbage',
      '',
    ]) {
      expect((await refused(sessions.refresh(bad))).code).toBe('refresh_invalid');
    }
    const other = createSessions({ store, secret: `${secret}-other` });
    expect((await refused(other.refresh(pair.refreshToken))).code).toBe('refresh_invalid');
    expect(calls).toEqual([]);
  });

  it('logs out one session, and every session of a user', async () => {
    const sessions = createSessions({ store: memorySessionStore(), secret });
    const a = await sessions.issue(subject);
    const b = await sessions.issue(subject);
    const c = await sessions.issue(subject);
    const other = await sessions.issue({ ...subject, userId: 'u-2' });
    expect(await sessions.logout(a.refreshToken)).toBe(true);
    expect((await refused(sessions.verify(a.accessToken))).code).toBe('session_revoked');
    expect(await sessions.logoutEverywhere('u-1')).toBe(2);
    for (const p of [b, c])
      expect((await refused(sessions.refresh(p.refreshToken))).code).toBe('refresh_invalid');
    await expect(sessions.verify(other.accessToken)).resolves.toBeDefined();
  });

  it('builds HttpOnly, Secure, SameSite cookies; the refresh cookie Strict on its own path', async () => {
    const sessions = createSessions({ store: memorySessionStore(), secret });
    const pair = await sessions.issue(subject);
    const [access, refresh] = sessions.setCookies(pair);
    expect(access).toBe(
      `access_token=${pair.accessToken}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure`,
    );
    expect(refresh).toMatch(
      /^refresh_token=[^;]+; Path=\/auth; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/,
    );
    expect(sessions.clearCookies()[1]).toMatch(/^refresh_token=; Path=\/auth; Max-Age=0; HttpOnly/);
  });

  it('refuses weak or unclear options at construction', () => {
    const store = memorySessionStore();
    expect(() => createSessions({ store, secret: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => createSessions({ store, secret, accessTtl: '1y' })).toThrow(/accessTtl/);
    expect(() => createSessions({ store: {} as SessionStore, secret })).toThrow(/SessionStore/);
    expect(() => createSessions({ store, secret, cookies: { refreshPath: 'auth' } })).toThrow(
      /paths/,
    );
    expect(ttlSeconds('24h', 'x')).toBe(86_400);
    expect(ttlSeconds(60, 'x')).toBe(60);
  });
});
