import { randomUUID } from 'node:crypto';
import type { StoreSuite } from '@platform/core/testkit';
import { beforeAll, expect, it } from 'vitest';
import { createSigner, GENESIS_HASH, hashEvent, signCheckpoint } from '../chain.js';
import type { StoredEvent } from '../schema.js';
import type { AuditStore } from '../store.js';
import { verifyChain } from '../verify.js';
import { sampleEvent } from './sample-event.js';

/** The named suites of the audit store conformance run, in order; `skip` takes these. */
export type AuditStoreSuite =
  | 'chain'
  | 'idempotency'
  | 'concurrency'
  | 'fields'
  | 'search'
  | 'export'
  | 'checkpoints'
  | 'retention';

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

// One signer for every suite: `retention` verifies the checkpoints `checkpoints` saved.
const signer = createSigner(undefined, 'testkit');
const publicKeys = { testkit: signer.publicKey };

/** Tenant ids no other run shares (suites of one run share the store). */
function tenants(): (label: string) => string {
  const run = randomUUID().slice(0, 8);
  return (label) => `tk-${run}-${label}`;
}

const chain: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('links a batch into the tenant chain from seq 1', async () => {
    const t = tenant('link');
    const stored = await store().append([sampleEvent(t), sampleEvent(t), sampleEvent(t)]);
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(stored[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 0; i < stored.length; i++) {
      const e = stored[i] as StoredEvent;
      expect(e.hash).toBe(hashEvent(e.prevHash, e));
      if (i > 0) expect(e.prevHash).toBe(stored[i - 1]?.hash);
    }
    const more = await store().append([sampleEvent(t)]);
    expect(more[0]?.seq).toBe(4);
    expect(more[0]?.prevHash).toBe(stored[2]?.hash);
    expect(await store().head(t)).toEqual({ seq: 4, hash: more[0]?.hash });
    const exported = await collect(store().export({ tenantId: t }));
    expect(exported.map((e) => e.id)).toEqual([...stored, ...more].map((e) => e.id));
    expect(exported[1]).toEqual(stored[1]);
  });

  it('keeps one chain per tenant, and a mixed batch extends each', async () => {
    const a = tenant('mix-a');
    const b = tenant('mix-b');
    const stored = await store().append([sampleEvent(a), sampleEvent(b), sampleEvent(a)]);
    expect(stored.filter((e) => e.tenantId === a).map((e) => e.seq)).toEqual([1, 2]);
    expect(stored.filter((e) => e.tenantId === b).map((e) => e.seq)).toEqual([1]);
    expect(await store().tenants()).toEqual(expect.arrayContaining([a, b]));
    expect(await store().head(tenant('nobody'))).toBeUndefined();
  });
};

const idempotency: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('stores a retried batch exactly once', async () => {
    const t = tenant('retry');
    const batch = [sampleEvent(t), sampleEvent(t)];
    await store().append(batch);
    const again = await store().append([...batch, sampleEvent(t)]);
    expect(again.map((e) => e.seq)).toEqual([3]);
    expect(await collect(store().export({ tenantId: t }))).toHaveLength(3);
  });
};

const concurrency: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('keeps the chain whole under concurrent appends', async () => {
    const t = tenant('concurrent');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store().append(Array.from({ length: 25 }, () => sampleEvent(t))),
      ),
    );
    const all = await collect(store().export({ tenantId: t }));
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const result = await verifyChain(store(), { tenantId: t, publicKeys });
    expect(result).toMatchObject({ ok: true, checked: 200, lastSeq: 200 });
  });
};

const fields: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('round-trips every field, nested changes and metadata included', async () => {
    const t = tenant('fields');
    const e = sampleEvent(t, {
      reason: 'validation failed',
      statusCode: 422,
      outcome: 'failure',
      actor: { type: 'agent', id: 'bot-7', name: 'Helper', impersonatorId: 'u9' },
      changes: { before: { total: 10, tags: ['a'] }, after: { total: 12.5, tags: [] } },
      metadata: { model: 'm-1', tokens: { in: 12, out: 40 }, tools: ['search'], unicode: 'é😀' },
    });
    const [stored] = await store().append([e]);
    const [back] = await collect(store().export({ tenantId: t }));
    expect(back).toEqual(stored);
    expect(back).toMatchObject(e);
  });
};

/** 25 events over a minute: three actions, two actors, every fifth a failure. */
async function seedSearch(store: AuditStore, t: string, requestId: string): Promise<void> {
  const base = Date.now() - 60_000;
  const events = Array.from({ length: 25 }, (_, i) =>
    sampleEvent(t, {
      occurredAt: new Date(base + i * 1000).toISOString(),
      action: i % 3 === 0 ? 'invoice.create' : i % 3 === 1 ? 'invoice.update' : 'user.delete',
      actor: { type: 'user', id: i % 2 ? 'alice' : 'bob' },
      outcome: i % 5 === 0 ? 'failure' : 'success',
      targets: [{ type: i % 3 === 2 ? 'user' : 'invoice', id: `obj_${i}` }],
      metadata: i === 7 ? { note: 'zebracorn refund' } : {},
      request: { method: 'POST', requestId: i === 11 ? requestId : randomUUID() },
    }),
  );
  for (let i = 0; i < events.length; i += 5) await store.append(events.slice(i, i + 5));
}

const search: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  const t = tenant('search');
  const requestId = randomUUID();
  beforeAll(() => seedSearch(store(), t, requestId));

  it('filters by actor, action (exact and prefix), target, outcome, request id and text', async () => {
    const ids = async (q: object) =>
      (await store().query({ tenantId: t, limit: 100, ...q })).events.map((e) => e.targets[0]?.id);
    expect(await ids({ actorId: 'alice' })).toHaveLength(12);
    expect(await ids({ action: 'invoice.create' })).toHaveLength(9);
    expect(await ids({ action: 'invoice.*' })).toHaveLength(17);
    expect(await ids({ action: 'user.*', actorId: 'alice' })).toHaveLength(4);
    expect(await ids({ targetType: 'invoice', targetId: 'obj_4' })).toEqual(['obj_4']);
    expect(await ids({ targetType: 'user', targetId: 'obj_4' })).toEqual([]);
    expect(await ids({ outcome: 'failure' })).toHaveLength(5);
    expect(await ids({ requestId })).toEqual(['obj_11']);
    expect(await ids({ text: 'zebracorn' })).toEqual(['obj_7']);
    expect((await store().query({ tenantId: tenant('other'), limit: 100 })).events).toEqual([]);
  });

  it('filters by occurredAt range', async () => {
    const all = (await store().query({ tenantId: t, limit: 100 })).events;
    const times = all.map((e) => Date.parse(e.occurredAt)).sort((a, b) => a - b);
    const from = new Date(times[5] as number);
    const to = new Date(times[10] as number);
    const page = await store().query({ tenantId: t, from, to, limit: 100 });
    expect(page.events).toHaveLength(5);
  });

  it('pages newest first with a keyset cursor, no gaps and no repeats', async () => {
    const seen: StoredEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store().query({ tenantId: t, limit: 10, cursor });
      seen.push(...page.events);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen.map((e) => e.id)).size).toBe(25);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1] as StoredEvent, seen[i] as StoredEvent];
      expect(a.recordedAt > b.recordedAt || (a.recordedAt === b.recordedAt && a.id > b.id)).toBe(
        true,
      );
    }
  });
};

const exportRange: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('exports a seq range in order', async () => {
    const t = tenant('export');
    await store().append(Array.from({ length: 30 }, () => sampleEvent(t)));
    const part = await collect(store().export({ tenantId: t, fromSeq: 11, toSeq: 20 }));
    expect(part.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
  });
};

const checkpoints: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('saves and lists checkpoints', async () => {
    const t = tenant('cp');
    const stored = await store().append([sampleEvent(t), sampleEvent(t)]);
    const last = stored[1] as StoredEvent;
    const cp = signCheckpoint(signer, {
      tenantId: t,
      seq: last.seq,
      hash: last.hash,
      kind: 'periodic',
    });
    await store().saveCheckpoint(cp);
    expect(await store().checkpoints(t)).toEqual([cp]);
    expect(await verifyChain(store(), { tenantId: t, publicKeys })).toMatchObject({
      ok: true,
      checkpoints: 1,
    });
  });
};

async function expectEveryChainVerifies(store: AuditStore, ids: string[]): Promise<void> {
  for (const t of ids) {
    expect(await verifyChain(store, { tenantId: t, publicKeys }), t).toMatchObject({ ok: true });
  }
}

const retention: StoreSuite<AuditStore> = (store) => {
  const tenant = tenants();
  it('purges expired events except tenants on legal hold, and every chain still verifies', async () => {
    const held = tenant('held');
    const free = tenant('free');
    await store().append([
      ...Array.from({ length: 5 }, () => sampleEvent(held)),
      ...Array.from({ length: 7 }, () => sampleEvent(free)),
    ]);
    const later = new Date(Date.now() + 70 * 86_400_000);
    const sign = (b: { tenantId: string; seq: number; hash: string }) =>
      signCheckpoint(signer, { ...b, kind: 'purge' });
    await store().purge({ before: later, holds: [held], sign });
    expect(await collect(store().export({ tenantId: held }))).toHaveLength(5);
    await expectEveryChainVerifies(store(), await store().tenants());
    const result = await store().purge({ before: later, holds: [], sign });
    expect(result.removed).toBeGreaterThanOrEqual(5);
    expect(await collect(store().export({ tenantId: held }))).toHaveLength(0);
    expect(await collect(store().export({ tenantId: free }))).toHaveLength(0);
    expect(await store().checkpoints(free)).toContainEqual(
      expect.objectContaining({ seq: 7, kind: 'purge' }),
    );
    const [next] = await store().append([sampleEvent(free)]);
    expect(next?.seq).toBe(8);
    await expectEveryChainVerifies(store(), [held, free]);
  });
};

export const AUDIT_STORE_SUITES: Record<AuditStoreSuite, StoreSuite<AuditStore>> = {
  chain,
  idempotency,
  concurrency,
  fields,
  search,
  export: exportRange,
  checkpoints,
  retention,
};
