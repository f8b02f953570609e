import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlagState, type FlagStateInput, flagStateSchema } from './model.js';
import { type FlagStore, VersionConflictError } from './store.js';

export interface FlagStoreSuiteOptions {
  /** Names the suite: `flag store conformance: <name>`. */
  name: string;
  /** Creates the store holding `seed` (once for the suite). */
  create: (seed: FlagStateInput[]) => FlagStore | Promise<FlagStore>;
  destroy?: (store: FlagStore) => void | Promise<void>;
  /**
   * Marks a read-only store (write tests are skipped) and replaces its flags from outside
   * (e.g. rewrites the file), so the change-feed test can run.
   */
  replace?: (store: FlagStore, flags: FlagStateInput[]) => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

/**
 * The conformance suite every flag store passes: round trip of every field, versions and
 * optimistic concurrency (one winner under a race), history with diffs, deletes, segments,
 * the change feed, and analytics. Optional capabilities the store lacks are skipped.
 *
 * @example
 * describeFlagStore({ name: 'my store', create: (seed) => myStore(seed), destroy: (s) => s.close?.() });
 */
export function describeFlagStore(options: FlagStoreSuiteOptions): void {
  const run = randomUUID().slice(0, 8);
  const full: FlagStateInput = {
    key: `tk-full-${run}`,
    enabled: true,
    variants: { red: 'red', blue: 'blue' },
    offVariant: 'red',
    serve: {
      variant: 'red',
      rollout: {
        variants: [
          { variant: 'red', weight: 2500 },
          { variant: 'blue', weight: 7500 },
        ],
        stickiness: 'accountId',
      },
    },
    rules: [
      {
        id: 'r1',
        conditions: [{ attribute: 'version', operator: 'semver_gte', values: ['1.2.0'] }],
        serve: { variant: 'blue' },
      },
    ],
    targets: [{ variant: 'blue', users: ['u-1'] }],
    tenants: { acme: { serve: { variant: 'blue' } }, globex: { enabled: false } },
    prerequisites: [{ flag: 'other', variants: ['on'] }],
    environments: { production: { enabled: false, tenants: { acme: { enabled: true } } } },
    description: 'conformance',
    owner: 'team-a',
    tags: ['x'],
    kind: 'experiment',
  };
  const seedKey = `tk-seed-${run}`;

  describe(`flag store conformance: ${options.name}`, () => {
    let store: FlagStore;
    let n = 0;
    const key = (label: string) => `tk-${label}-${run}-${n++}`;
    const flag = (k: string, extra: Partial<FlagStateInput> = {}): FlagState =>
      flagStateSchema.parse({ key: k, serve: { variant: 'off' }, ...extra });

    beforeAll(async () => {
      store = await options.create([full, { key: seedKey, serve: { variant: 'on' } }]);
    }, 60_000);
    afterAll(async () => {
      await options.destroy?.(store);
    });

    it('loads the seeded flags with every field intact', async () => {
      const snap = await store.load();
      const got = snap.flags.find((f) => f.key === full.key);
      expect(got).toBeDefined();
      const { version, createdAt, updatedAt, updatedBy, ...rest } = got!;
      expect(version).toBeGreaterThanOrEqual(1);
      const { version: _v, ...expected } = flagStateSchema.parse(full);
      expect(rest).toEqual(expected);
      expect(snap.flags.some((f) => f.key === seedKey)).toBe(true);
      expect(Array.isArray(snap.segments)).toBe(true);
    });

    describe.skipIf(!options.replace)('read-only stores', () => {
      it('announces an outside change through subscribe and serves it on the next load', async () => {
        if (!store.subscribe) return;
        let calls = 0;
        const off = store.subscribe(() => calls++);
        await sleep(50);
        await options.replace!(store, [{ key: seedKey, serve: { variant: 'off' } }]);
        expect(await waitFor(() => calls > 0, 5_000)).toBe(true);
        off();
        const snap = await store.load();
        expect(snap.flags.find((f) => f.key === seedKey)?.serve?.variant).toBe('off');
      });
    });

    describe.skipIf(Boolean(options.replace))('writes', () => {
      const writable = () => typeof store.put === 'function';

      it('creates at version 1, then bumps the version and keeps createdAt', async () => {
        if (!writable()) return;
        const k = key('ver');
        const a = await store.put!(flag(k), { actor: 'alice' });
        expect(a).toMatchObject({ key: k, version: 1, updatedBy: 'alice' });
        expect(Date.parse(a.createdAt!)).not.toBeNaN();
        const b = await store.put!({ ...a, enabled: false }, { expectedVersion: 1, actor: 'bob' });
        expect(b).toMatchObject({
          version: 2,
          enabled: false,
          updatedBy: 'bob',
          createdAt: a.createdAt,
        });
        const loaded = (await store.load()).flags.find((f) => f.key === k);
        expect(loaded).toMatchObject({ version: 2, enabled: false });
      });

      it('rejects a stale expectedVersion (and 0 for an existing flag) with VersionConflictError', async () => {
        if (!writable()) return;
        const k = key('conflict');
        await store.put!(flag(k), { expectedVersion: 0 });
        await expect(store.put!(flag(k), { expectedVersion: 0 })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        const err = await store.put!(flag(k), { expectedVersion: 7 }).catch((e: unknown) => e);
        expect(err).toMatchObject({ status: 409, expected: 7, actual: 1 });
      });

      it('lets exactly one of several racing writers with the same version win', async () => {
        if (!writable()) return;
        const k = key('race');
        await store.put!(flag(k));
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store.put!(flag(k, { description: `w${i}` }), { expectedVersion: 1 }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictError);
        expect((await store.load()).flags.find((f) => f.key === k)?.version).toBe(2);
      });

      it('deletes with a version guard; deleting a missing flag returns false', async () => {
        if (!store.remove || !writable()) return;
        const k = key('del');
        await store.put!(flag(k));
        await expect(store.remove(k, { expectedVersion: 5 })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        expect(await store.remove(k, { expectedVersion: 1, actor: 'carol' })).toBe(true);
        expect(await store.remove(k)).toBe(false);
        expect((await store.load()).flags.some((f) => f.key === k)).toBe(false);
      });

      it('records history newest first: who, when, action, before/after and a diff', async () => {
        if (!store.history || !writable()) return;
        const k = key('hist');
        const a = await store.put!(flag(k), { actor: 'alice' });
        await store.put!(
          { ...a, enabled: false, tenants: { acme: { serve: { variant: 'on' } } } },
          { actor: 'bob' },
        );
        await store.remove?.(k, { actor: 'carol' });
        const h = await store.history(k);
        expect(h.map((r) => r.action)).toEqual(
          store.remove ? ['delete', 'update', 'create'] : ['update', 'create'],
        );
        const update = h.find((r) => r.action === 'update')!;
        expect(update).toMatchObject({
          key: k,
          version: 2,
          actor: 'bob',
          before: { enabled: true },
          after: { enabled: false },
        });
        expect(update.diff).toEqual(
          expect.arrayContaining([
            { path: 'enabled', before: true, after: false },
            { path: 'tenants.acme', before: null, after: { serve: { variant: 'on' } } },
          ]),
        );
        expect(Date.parse(update.at)).not.toBeNaN();
        expect(h.find((r) => r.action === 'create')).toMatchObject({
          actor: 'alice',
          before: null,
          version: 1,
        });
        expect((await store.history(k, { limit: 1 })).length).toBe(1);
      });

      it('stores and removes segments', async () => {
        if (!store.putSegment || !store.removeSegment) return;
        const k = key('seg');
        await store.putSegment({
          key: k,
          included: ['u1'],
          conditions: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
        });
        expect((await store.load()).segments.find((s) => s.key === k)).toMatchObject({
          included: ['u1'],
        });
        expect(await store.removeSegment(k)).toBe(true);
        expect((await store.load()).segments.some((s) => s.key === k)).toBe(false);
      });

      it('announces its own writes through subscribe within 1 s', async () => {
        if (!store.subscribe || !writable()) return;
        let calls = 0;
        const off = store.subscribe(() => calls++);
        await sleep(100);
        const before = calls;
        await store.put!(flag(key('feed')));
        expect(await waitFor(() => calls > before, 1_000)).toBe(true);
        off();
      });
    });

    it('sums evaluation counts per flag × variant × tenant and keeps the latest time', async () => {
      if (!store.recordEvaluations || !store.evaluations) return;
      const f = key('evals');
      await store.recordEvaluations([
        {
          flag: f,
          variant: 'on',
          tenant: 'acme',
          count: 3,
          lastEvaluated: '2026-01-01T00:00:00.000Z',
        },
        {
          flag: f,
          variant: 'off',
          tenant: '',
          count: 1,
          lastEvaluated: '2026-01-01T00:00:00.000Z',
        },
      ]);
      await store.recordEvaluations([
        {
          flag: f,
          variant: 'on',
          tenant: 'acme',
          count: 2,
          lastEvaluated: '2026-01-02T00:00:00.000Z',
        },
      ]);
      const rows = (await store.evaluations()).filter((r) => r.flag === f);
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.variant === 'on')).toEqual({
        flag: f,
        variant: 'on',
        tenant: 'acme',
        count: 5,
        lastEvaluated: '2026-01-02T00:00:00.000Z',
      });
    });
  });
}
