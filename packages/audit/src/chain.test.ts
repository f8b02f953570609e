import { createHash } from 'node:crypto';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.js';
import { GENESIS_HASH, hashEvent, linkEvents, linkEventsInSlices } from './chain.js';
import { memoryStore } from './stores/memory.js';
import { sampleEvent } from './testkit.js';
import { verifyChain } from './verify.js';

const batch = (tenantId: string, n: number) =>
  Array.from({ length: n }, (_, i) => sampleEvent(tenantId, { metadata: { n: i } }));

describe('hashEvent', () => {
  it('is SHA-256 over the domain tag, the previous hash, a newline and the canonical JSON', () => {
    const [e] = linkEvents(undefined, batch('t', 1), '2026-12-06T00:00:00.000Z');
    const { prevHash: _p, hash: _h, ...body } = e!;
    const expected = createHash('sha256')
      .update(`platform-audit:event:v1\n${GENESIS_HASH}\n${canonicalJson(body)}`)
      .digest('hex');
    expect(e!.hash).toBe(expected);
    expect(hashEvent(GENESIS_HASH, e!)).toBe(expected);
  });
});

describe('linkEvents', () => {
  it('stores and hashes what a spread copy with seq and recordedAt would hold, key order included', () => {
    const at = '2026-12-06T00:00:00.000Z';
    const events = [
      sampleEvent('t'),
      { ...sampleEvent('t'), seq: 99, hash: 'stale' },
      JSON.parse(
        JSON.stringify({ ...sampleEvent('t'), reason: 'r' }).replace('{', '{"__proto__":{"x":1},'),
      ),
    ];
    const linked = linkEvents(undefined, events, at);
    let prev = GENESIS_HASH;
    for (const [i, e] of events.entries()) {
      const copy = { ...e, seq: i + 1, recordedAt: at };
      const hash = createHash('sha256')
        .update(`platform-audit:event:v1\n${prev}\n${canonicalJson(copy)}`)
        .digest('hex');
      const stored = linked[i] as unknown as Record<string, unknown>;
      const expected = { ...copy, prevHash: prev, hash };
      expect(Object.keys(stored)).toEqual(Object.keys(expected));
      expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
      expect(stored).toEqual(expected);
      prev = hash;
    }
    expect(Object.hasOwn(linked[2] as object, '__proto__')).toBe(true);
  });
});

describe('linkEventsInSlices', () => {
  it('links exactly as linkEvents does, canonical JSON included', async () => {
    const events = batch('t', 2000);
    const head = { seq: 41, hash: 'a'.repeat(64) };
    const at = new Date().toISOString();
    const jsonA: string[] = [];
    const jsonB: string[] = [];
    const sync = linkEvents(head, events, at, jsonA);
    const sliced = await linkEventsInSlices(head, events, at, jsonB);
    expect(sliced).toEqual(sync);
    expect(jsonB).toEqual(jsonA);
    expect(sliced[0]?.seq).toBe(42);
    expect(sliced[0]?.prevHash).toBe(head.hash);
    expect(sliced.at(-1)?.seq).toBe(2041);
  });

  it('lets the event loop through while it links a large batch', async () => {
    const events = batch('t', 5000);
    let ticks = 0;
    let done = false;
    const linking = linkEventsInSlices(undefined, events, new Date().toISOString()).then((r) => {
      done = true;
      return r;
    });
    while (!done) {
      await tick();
      ticks++;
    }
    expect((await linking).length).toBe(5000);
    // 5000 events take far longer than one 0.5 ms slice on any machine
    expect(ticks).toBeGreaterThan(2);
  });

  it('handles an empty batch', async () => {
    expect(await linkEventsInSlices(undefined, [], new Date().toISOString())).toEqual([]);
  });
});

describe('memory store appends in slices', () => {
  it('keeps one unbroken chain when appends overlap', async () => {
    const store = memoryStore();
    const results = await Promise.all([
      store.append(batch('acme', 800)),
      store.append(batch('acme', 800)),
      store.append(batch('acme', 800)),
    ]);
    const seqs = results.flat().map((e) => e.seq);
    expect(new Set(seqs).size).toBe(2400);
    expect(Math.max(...seqs)).toBe(2400);
    expect(await verifyChain(store, { tenantId: 'acme', publicKeys: {} })).toMatchObject({
      ok: true,
      checked: 2400,
    });
  });
});
