import type { StoreSuite } from '@platform/core/testkit';
import { expect, it } from 'vitest';
import { type FlagState, type FlagStateInput, flagStateSchema } from '../model.js';
import { type FlagStore, VersionConflictError } from '../store.js';
import type { FlagSeed } from './seed.js';

/** The named suites of the flag store conformance run, in order; `skip` takes these. */
export type FlagStoreSuite =
  | 'load'
  | 'versions'
  | 'concurrency'
  | 'delete'
  | 'history'
  | 'segments'
  | 'feed'
  | 'analytics';

/** Replaces a read-only store's flags from outside (e.g. rewrites its file). */
export type ReplaceFlags<S> = (store: S, flags: FlagStateInput[]) => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

/** Flag keys unique to the run, and a valid flag under a key. */
function fixtures(seed: FlagSeed) {
  let n = 0;
  const key = (label: string) => `tk-${label}-${seed.run}-${n++}`;
  const flag = (k: string, extra: Partial<FlagStateInput> = {}): FlagState =>
    flagStateSchema.parse({ key: k, serve: { variant: 'off' }, ...extra });
  return { key, flag };
}

const writable = (store: FlagStore) => typeof store.put === 'function';

const load =
  (seed: FlagSeed): StoreSuite<FlagStore> =>
  (store) => {
    it('loads the seeded flags with every field intact', async () => {
      const snap = await store().load();
      const got = snap.flags.find((f) => f.key === seed.full.key);
      expect(got).toBeDefined();
      const { version, createdAt, updatedAt, updatedBy, ...rest } = got!;
      expect(version).toBeGreaterThanOrEqual(1);
      const { version: _v, ...expected } = flagStateSchema.parse(seed.full);
      expect(rest).toEqual(expected);
      expect(snap.flags.some((f) => f.key === seed.seedKey)).toBe(true);
      expect(Array.isArray(snap.segments)).toBe(true);
    });
  };

const versions =
  (seed: FlagSeed, readOnly: boolean): StoreSuite<FlagStore> =>
  (store) => {
    const { key, flag } = fixtures(seed);
    it.skipIf(readOnly)(
      'creates at version 1, then bumps the version and keeps createdAt',
      async () => {
        if (!writable(store())) return;
        const k = key('ver');
        const a = await store().put!(flag(k), { actor: 'alice' });
        expect(a).toMatchObject({ key: k, version: 1, updatedBy: 'alice' });
        expect(Date.parse(a.createdAt!)).not.toBeNaN();
        const b = await store().put!(
          { ...a, enabled: false },
          { expectedVersion: 1, actor: 'bob' },
        );
        expect(b).toMatchObject({
          version: 2,
          enabled: false,
          updatedBy: 'bob',
          createdAt: a.createdAt,
        });
        const loaded = (await store().load()).flags.find((f) => f.key === k);
        expect(loaded).toMatchObject({ version: 2, enabled: false });
      },
    );

    it.skipIf(readOnly)(
      'rejects a stale expectedVersion (and 0 for an existing flag) with VersionConflictError',
      async () => {
        if (!writable(store())) return;
        const k = key('conflict');
        await store().put!(flag(k), { expectedVersion: 0 });
        await expect(store().put!(flag(k), { expectedVersion: 0 })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        const err = await store().put!(flag(k), { expectedVersion: 7 }).catch((e: unknown) => e);
        expect(err).toMatchObject({ status: 409, expected: 7, actual: 1 });
      },
    );
  };

const concurrency =
  (seed: FlagSeed, readOnly: boolean): StoreSuite<FlagStore> =>
  (store) => {
    const { key, flag } = fixtures(seed);
    it.skipIf(readOnly)(
      'lets exactly one of several racing writers with the same version win',
      async () => {
        if (!writable(store())) return;
        const k = key('race');
        await store().put!(flag(k));
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store().put!(flag(k, { description: `w${i}` }), { expectedVersion: 1 }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictError);
        expect((await store().load()).flags.find((f) => f.key === k)?.version).toBe(2);
      },
    );
  };

const remove =
  (seed: FlagSeed, readOnly: boolean): StoreSuite<FlagStore> =>
  (store) => {
    const { key, flag } = fixtures(seed);
    it.skipIf(readOnly)(
      'deletes with a version guard; deleting a missing flag returns false',
      async () => {
        const s = store();
        if (!s.remove || !writable(s)) return;
        const k = key('del');
        await s.put!(flag(k));
        await expect(s.remove(k, { expectedVersion: 5 })).rejects.toBeInstanceOf(
          VersionConflictError,
        );
        expect(await s.remove(k, { expectedVersion: 1, actor: 'carol' })).toBe(true);
        expect(await s.remove(k)).toBe(false);
        expect((await s.load()).flags.some((f) => f.key === k)).toBe(false);
      },
    );
  };

const history =
  (seed: FlagSeed, readOnly: boolean): StoreSuite<FlagStore> =>
  (store) => {
    const { key, flag } = fixtures(seed);
    it.skipIf(readOnly)(
      'records history newest first: who, when, action, before/after and a diff',
      async () => {
        const s = store();
        if (!s.history || !writable(s)) return;
        const k = key('hist');
        const a = await s.put!(flag(k), { actor: 'alice' });
        await s.put!(
          { ...a, enabled: false, tenants: { acme: { serve: { variant: 'on' } } } },
          { actor: 'bob' },
        );
        await s.remove?.(k, { actor: 'carol' });
        const h = await s.history(k);
        expect(h.map((r) => r.action)).toEqual(
          s.remove ? ['delete', 'update', 'create'] : ['update', 'create'],
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
        expect((await s.history(k, { limit: 1 })).length).toBe(1);
      },
    );
  };

const segments =
  (seed: FlagSeed, readOnly: boolean): StoreSuite<FlagStore> =>
  (store) => {
    const { key } = fixtures(seed);
    it.skipIf(readOnly)('stores and removes segments', async () => {
      const s = store();
      if (!s.putSegment || !s.removeSegment) return;
      const k = key('seg');
      await s.putSegment({
        key: k,
        included: ['u1'],
        conditions: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
      });
      expect((await s.load()).segments.find((g) => g.key === k)).toMatchObject({
        included: ['u1'],
      });
      expect(await s.removeSegment(k)).toBe(true);
      expect((await s.load()).segments.some((g) => g.key === k)).toBe(false);
    });
  };

/** Read-only stores announce outside changes; writable ones announce their own writes. */
function feed<S extends FlagStore>(seed: FlagSeed, replace?: ReplaceFlags<S>): StoreSuite<S> {
  return (store) => {
    const { key, flag } = fixtures(seed);
    it.skipIf(!replace)(
      'announces an outside change through subscribe and serves it on the next load',
      async () => {
        const s = store();
        if (!s.subscribe) return;
        let calls = 0;
        const off = s.subscribe(() => calls++);
        await sleep(50);
        await replace!(s, [{ key: seed.seedKey, serve: { variant: 'off' } }]);
        expect(await waitFor(() => calls > 0, 5_000)).toBe(true);
        off();
        const snap = await s.load();
        expect(snap.flags.find((f) => f.key === seed.seedKey)?.serve?.variant).toBe('off');
      },
    );

    it.skipIf(Boolean(replace))(
      'announces its own writes through subscribe within 1 s',
      async () => {
        const s = store();
        if (!s.subscribe || !writable(s)) return;
        let calls = 0;
        const off = s.subscribe(() => calls++);
        await sleep(100);
        const before = calls;
        await s.put!(flag(key('feed')));
        expect(await waitFor(() => calls > before, 1_000)).toBe(true);
        off();
      },
    );
  };
}

const analytics =
  (seed: FlagSeed): StoreSuite<FlagStore> =>
  (store) => {
    const { key } = fixtures(seed);
    it('sums evaluation counts per flag × variant × tenant and keeps the latest time', async () => {
      const s = store();
      if (!s.recordEvaluations || !s.evaluations) return;
      const f = key('evals');
      const at1 = '2026-01-01T00:00:00.000Z';
      await s.recordEvaluations([
        { flag: f, variant: 'on', tenant: 'acme', count: 3, lastEvaluated: at1 },
        { flag: f, variant: 'off', tenant: '', count: 1, lastEvaluated: at1 },
      ]);
      await s.recordEvaluations([
        {
          flag: f,
          variant: 'on',
          tenant: 'acme',
          count: 2,
          lastEvaluated: '2026-01-02T00:00:00.000Z',
        },
      ]);
      const rows = (await s.evaluations()).filter((r) => r.flag === f);
      expect(rows).toHaveLength(2);
      expect(rows.find((r) => r.variant === 'on')).toEqual({
        flag: f,
        variant: 'on',
        tenant: 'acme',
        count: 5,
        lastEvaluated: '2026-01-02T00:00:00.000Z',
      });
    });
  };

/** The suites of one run: a read-only store (one with `replace`) skips the write tests. */
export function flagStoreSuites<S extends FlagStore>(
  seed: FlagSeed,
  replace?: ReplaceFlags<S>,
): Record<FlagStoreSuite, StoreSuite<S>> {
  const readOnly = Boolean(replace);
  return {
    load: load(seed),
    versions: versions(seed, readOnly),
    concurrency: concurrency(seed, readOnly),
    delete: remove(seed, readOnly),
    history: history(seed, readOnly),
    segments: segments(seed, readOnly),
    feed: feed(seed, replace),
    analytics: analytics(seed),
  };
}
