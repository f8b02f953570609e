import { randomBytes } from 'node:crypto';
import { type StoreSuite, type StoreTestOptions, testStore } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import type { SessionRecord, SessionStore } from './store.js';

/** The named suites of the session store conformance run; `skip` takes these. */
export type SessionStoreSuite = 'records' | 'rotation' | 'revocation' | 'expiry' | 'sweep';

export type SessionStoreTestOptions<S extends SessionStore = SessionStore> = StoreTestOptions<
  S,
  SessionStoreSuite
>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOUR = 3_600_000;

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    id: randomBytes(16).toString('base64url'),
    userId: `user-${randomBytes(6).toString('hex')}`,
    roles: ['viewer'],
    generation: 0,
    createdAt: now,
    expiresAt: now + HOUR,
    ...overrides,
  };
}

const records: StoreSuite<SessionStore> = (store) => {
  it('returns what was created, optional fields included or left out', async () => {
    const full = session({ tenantId: 'acme', name: 'Ann Example', roles: ['admin', 'viewer'] });
    const bare = session();
    await store().create(full);
    await store().create(bare);
    expect(await store().get(full.id)).toEqual(full);
    expect(await store().get(bare.id)).toEqual(bare);
    expect(await store().get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });
};

const rotation: StoreSuite<SessionStore> = (store) => {
  it('moves the current generation on, with the new expiry', async () => {
    const s = session();
    await store().create(s);
    const next = Date.now() + 2 * HOUR;
    const r = await store().rotate(s.id, 0, next);
    expect(r).toEqual({ outcome: 'rotated', session: { ...s, generation: 1, expiresAt: next } });
    expect((await store().rotate(s.id, 1, next)).outcome).toBe('rotated');
    expect((await store().get(s.id))?.generation).toBe(2);
  });

  it('revokes the whole session when an older generation comes back', async () => {
    const s = session();
    await store().create(s);
    await store().rotate(s.id, 0, s.expiresAt);
    expect(await store().rotate(s.id, 0, s.expiresAt)).toEqual({
      outcome: 'reused',
      userId: s.userId,
    });
    expect(await store().get(s.id)).toBeUndefined();
    // the newest token of the family is dead too
    expect(await store().rotate(s.id, 1, s.expiresAt)).toEqual({ outcome: 'invalid' });
  });

  it('calls unknown sessions and generations never issued invalid, changing nothing', async () => {
    const s = session();
    await store().create(s);
    expect(await store().rotate(s.id, 5, s.expiresAt)).toEqual({ outcome: 'invalid' });
    expect(await store().rotate('AAAAAAAAAAAAAAAAAAAAAA', 0, s.expiresAt)).toEqual({
      outcome: 'invalid',
    });
    expect((await store().get(s.id))?.generation).toBe(0);
  });

  it('lets exactly one of two racing rotations of one token win; the loser revokes the family', async () => {
    const s = session();
    await store().create(s);
    const results = await Promise.all([1, 2].map(() => store().rotate(s.id, 0, s.expiresAt)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['reused', 'rotated']);
    expect(await store().get(s.id)).toBeUndefined();
  });
};

const revocation: StoreSuite<SessionStore> = (store) => {
  it('revokes one session, once', async () => {
    const s = session();
    await store().create(s);
    expect(await store().revoke(s.id)).toBe(true);
    expect(await store().revoke(s.id)).toBe(false);
    expect(await store().get(s.id)).toBeUndefined();
    expect(await store().rotate(s.id, 0, s.expiresAt)).toEqual({ outcome: 'invalid' });
  });

  it('revokes every session of one user and no one else’s', async () => {
    const userId = `user-${randomBytes(6).toString('hex')}`;
    const mine = [session({ userId }), session({ userId }), session({ userId })];
    const other = session();
    for (const s of [...mine, other]) await store().create(s);
    await store().revoke(mine[0]!.id);
    expect(await store().revokeUser(userId)).toBe(2);
    for (const s of mine) expect(await store().get(s.id)).toBeUndefined();
    expect(await store().get(other.id)).toEqual(other);
    expect(await store().revokeUser(userId)).toBe(0);
  });
};

const expiry: StoreSuite<SessionStore> = (store) => {
  it('forgets a session once it expires: no get, no rotation, no revoke', async () => {
    const s = session({ expiresAt: Date.now() + 300 });
    await store().create(s);
    expect(await store().get(s.id)).toBeDefined();
    await sleep(450);
    expect(await store().get(s.id)).toBeUndefined();
    expect(await store().rotate(s.id, 0, Date.now() + HOUR)).toEqual({ outcome: 'invalid' });
    expect(await store().revoke(s.id)).toBe(false);
  });
};

const sweep: StoreSuite<SessionStore> = (store) => {
  it('deletes expired sessions and only those', async () => {
    const sweep = store().sweep?.bind(store());
    if (!sweep) throw new Error("the store has no sweep(): list 'sweep' in skip");
    const old = session({ expiresAt: Date.now() + 200 });
    const live = session();
    await store().create(old);
    await store().create(live);
    await sleep(300);
    expect(await sweep()).toBeGreaterThanOrEqual(1);
    expect(await store().get(live.id)).toEqual(live);
    expect(await sweep()).toBe(0);
  });
};

export const SESSION_STORE_SUITES: Readonly<Record<SessionStoreSuite, StoreSuite<SessionStore>>> = {
  records,
  rotation,
  revocation,
  expiry,
  sweep,
};

/**
 * The conformance suite every session store passes: `records` round-trip, atomic `rotation`
 * with reuse detection (also under a race), `revocation` of one session and of a user,
 * `expiry`, and `sweep` of expired sessions (skip it for a store whose backend expires keys). Call it from a vitest file.
 *
 * @example
 * testSessionStore({ name: 'my store', create: () => myStore(client), destroy: () => client.quit() });
 */
export function testSessionStore<S extends SessionStore>(
  options: SessionStoreTestOptions<S>,
): void {
  // the suites only call SessionStore methods, so they accept any S
  testStore(options as unknown as StoreTestOptions<SessionStore, SessionStoreSuite>, {
    title: 'session store conformance',
    suites: SESSION_STORE_SUITES,
  });
}
