import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { flakyStore, quiet, spillFile } from '../test/trail-support.js';
import { checkpointValid } from './chain.js';
import type { AuditTrailOptions } from './options.js';
import type { AuditStore } from './store.js';
import { memoryStore } from './stores/memory.js';
import { auditTrail } from './trail.js';

const ctx = {
  requestId: 'req-123',
  method: 'PATCH',
  path: '/api/items/7',
  route: '/api/items/:id',
  ip: '198.51.100.4',
  userAgent: 'curl/8',
  tenantId: 'acme',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  actor: { type: 'user' as const, id: 'alice', roles: ['admin'] },
  startTime: Date.now(),
};

/** A trail that checkpoints every 10 events (batches of 5); `seen` collects each checkpoint's seq. */
function checkpointing(signing?: AuditTrailOptions['signing']) {
  const store = memoryStore();
  const seen: number[] = [];
  const audit = auditTrail({
    store,
    ...quiet,
    queue: { batchSize: 5 },
    ...(signing && { signing }),
    checkpoint: { everyEvents: 10, onCheckpoint: (cp) => void seen.push(cp.seq) },
  });
  return { store, seen, audit };
}

describe('auditTrail', () => {
  it('fills actor, tenant, source, request and trace from the context, and logs one line', async () => {
    const store = memoryStore();
    const lines: unknown[] = [];
    const audit = auditTrail({ store, shutdown: false, log: (l) => lines.push(l) });
    const id = runWithContext(ctx, () =>
      audit.record({ action: 'item.update', targets: [{ type: 'item', id: '7' }] }),
    );
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await audit.flush();
    const [e] = (await store.query({ tenantId: 'acme' })).events;
    expect(e).toMatchObject({
      id,
      tenantId: 'acme',
      seq: 1,
      action: 'item.update',
      crud: 'u',
      outcome: 'success',
      actor: { type: 'user', id: 'alice' },
      source: { ip: '198.51.100.4', userAgent: 'curl/8' },
      request: {
        method: 'PATCH',
        route: '/api/items/:id',
        requestId: 'req-123',
        traceId: ctx.traceId,
        spanId: ctx.spanId,
      },
    });
    expect(lines).toEqual([
      {
        level: 'info',
        msg: 'audit',
        audit: expect.objectContaining({ id, action: 'item.update' }),
      },
    ]);
  });

  it('records outside a request under the default tenant and a system-less anonymous actor', async () => {
    const store = memoryStore();
    const audit = auditTrail({ store, ...quiet, defaultTenant: 'jobs' });
    audit.record({ action: 'report.export', actor: { type: 'service', id: 'nightly' } });
    await audit.flush();
    const [e] = (await store.query({})).events;
    expect(e).toMatchObject({
      tenantId: 'jobs',
      crud: 'r',
      actor: { type: 'service', id: 'nightly' },
    });
  });

  it('redacts sensitive keys, configured paths, card numbers and control characters', async () => {
    const store = memoryStore();
    const audit = auditTrail({ store, ...quiet, redact: { paths: ['metadata.customer.email'] } });
    audit.record({
      action: 'user.update',
      reason: 'line1\r\nFAKE log line',
      changes: {
        before: { password: 'hunter2', name: 'a' },
        after: { apiKey: 'k', name: 'b\u0000' },
      },
      metadata: {
        customer: { email: 'x@y.z', card: '4242 4242 4242 4242' },
        Authorization: 'Bearer t',
      },
    });
    await audit.flush();
    const [e] = (await store.query({})).events;
    expect(e?.reason).toBe('line1\\u000d\\u000aFAKE log line');
    expect(e?.changes).toEqual({
      before: { password: '[REDACTED]', name: 'a' },
      after: { apiKey: '[REDACTED]', name: 'b\\u0000' },
    });
    expect(e?.metadata).toEqual({
      customer: { email: '[REDACTED]', card: '[REDACTED]' },
      Authorization: '[REDACTED]',
    });
  });

  it('never throws: invalid events, a failing logger and a failing store are counted', async () => {
    const { store, state } = flakyStore(true);
    const errors: string[] = [];
    const audit = auditTrail({
      store,
      shutdown: false,
      log: () => {
        throw new Error('log sink down');
      },
      retry: { initialMs: 5, maxMs: 10 },
      onError: (_e, { where }) => errors.push(where),
    });
    expect(audit.record({ action: 'no dots here' })).toBeUndefined();
    expect(audit.record({ action: 'x.y', statusCode: 9999 })).toBeUndefined();
    expect(audit.record(null as never)).toBeUndefined();
    expect(audit.record({ action: 'x.update' })).toBeDefined();
    expect(audit.stats().invalid).toBe(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(errors).toEqual(expect.arrayContaining(['record', 'log', 'store']));
    expect(audit.stats()).toMatchObject({ stored: 0, queued: 1 });
    state.down = false;
    await audit.flush();
    expect(audit.stats()).toMatchObject({ stored: 1, queued: 0 });
    await audit.close();
  });

  it('counts what a full queue drops when spill is off', async () => {
    const { store, state } = flakyStore(true);
    const audit = auditTrail({
      store,
      ...quiet,
      queue: { max: 10, batchSize: 5 },
      retry: { initialMs: 5, maxMs: 5 },
    });
    for (let i = 0; i < 25; i++) audit.record({ action: 'x.update' });
    expect(audit.stats()).toMatchObject({ recorded: 25, queued: 10, dropped: 15 });
    state.down = false;
    await audit.flush();
    expect(audit.stats()).toMatchObject({ stored: 10, dropped: 15 });
  });

  it('spills to NDJSON when the queue is full and replays it once the store is back, each event once', async () => {
    const path = spillFile('audit-spill');
    const { store, state, inner } = flakyStore(true);
    const audit = auditTrail({
      store,
      ...quiet,
      spill: { path },
      queue: { max: 20, batchSize: 7 },
      retry: { initialMs: 5, maxMs: 20 },
    });
    const ids = Array.from({ length: 300 }, () =>
      audit.record({ action: 'x.update', tenantId: 't1' }),
    );
    expect(audit.stats()).toMatchObject({ queued: 20, spilled: 280, dropped: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(280);
    state.down = false;
    await audit.flush();
    const stored: string[] = [];
    for await (const e of inner.export({ tenantId: 't1' })) stored.push(e.id);
    expect(stored.sort()).toEqual([...ids].sort());
    expect(audit.stats()).toMatchObject({ stored: 300, replayed: 280, dropped: 0 });
    expect(existsSync(path)).toBe(false);
    expect((await audit.verify({ tenantId: 't1' })).ok).toBe(true);
  });

  it('close() spills what the store could not take before the deadline', async () => {
    const path = spillFile('audit-close');
    const { store, state } = flakyStore(true);
    const audit = auditTrail({
      store,
      ...quiet,
      spill: { path },
      retry: { initialMs: 5, maxMs: 5 },
    });
    for (let i = 0; i < 12; i++) audit.record({ action: 'x.update' });
    await audit.close(100);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(12);
    const next = auditTrail({ store, ...quiet, spill: { path } });
    state.down = false;
    next.record({ action: 'x.create' });
    await next.flush();
    expect(next.stats()).toMatchObject({ stored: 13, replayed: 12 });
  });

  it('never runs the writer inside record(): a full batch is written on the next turn', async () => {
    const { store, state } = flakyStore();
    const audit = auditTrail({ store, ...quiet, queue: { batchSize: 5, flushIntervalMs: 60_000 } });
    for (let i = 0; i < 5; i++) audit.record({ action: 'x.update', tenantId: 'soon' });
    // the fifth record() filled the batch; its caller (a request) has not paid for the write
    expect(state.attempts).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(state.attempts).toBe(1);
    await audit.flush();
    expect((await store.query({ tenantId: 'soon' })).events).toHaveLength(5);
  });

  it('signs a checkpoint every N events and hands it to onCheckpoint', async () => {
    const { store, seen, audit } = checkpointing({
      privateKey: generateKeyPairSync('ed25519').privateKey,
      keyId: 'k',
    });
    for (let i = 0; i < 25; i++) audit.record({ action: 'x.update', tenantId: 'cp' });
    await audit.flush();
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([10, 20]);
    const cps = await store.checkpoints('cp');
    expect(cps.every((c) => checkpointValid(c, audit.publicKey))).toBe(true);
    expect(await audit.verify({ tenantId: 'cp' })).toMatchObject({
      ok: true,
      checked: 25,
      checkpoints: 2,
    });
  });

  it('makes no periodic checkpoints with a per-process key (no other process could check them)', async () => {
    const { store, seen, audit } = checkpointing();
    expect(audit.keyId).toMatch(/^ephemeral-[0-9a-f]{8}$/);
    for (let i = 0; i < 25; i++) audit.record({ action: 'x.update', tenantId: 'eph' });
    await audit.flush();
    expect(seen).toEqual([]);
    expect(await store.checkpoints('eph')).toEqual([]);
    const cp = await audit.checkpoint('eph');
    expect(cp?.seq).toBe(25);
    expect(await store.checkpoints('eph')).toEqual([]);
    expect(await audit.verify({ tenantId: 'eph', checkpoint: cp })).toMatchObject({
      ok: true,
      checkpoints: 1,
    });
  });

  it('refuses an anchor without a signing key, naming the field', () => {
    expect(() =>
      auditTrail({ store: memoryStore(), ...quiet, checkpoint: { anchor: { save() {} } } }),
    ).toThrow(/checkpoint\.anchor/);
  });

  it('audits reads of the log as audit.log.view', async () => {
    const store = memoryStore();
    const audit = auditTrail({ store, ...quiet });
    await runWithContext(ctx, async () => {
      audit.record({ action: 'x.update' });
      await audit.flush();
      const page = await audit.search({ tenantId: 'acme', actorId: 'alice' });
      expect(page.events).toHaveLength(1);
    });
    await audit.flush();
    const views = await store.query({ action: 'audit.log.view' });
    expect(views.events[0]).toMatchObject({ tenantId: 'acme', crud: 'r', actor: { id: 'alice' } });
    expect(views.events[0]?.metadata).toMatchObject({
      filters: { tenantId: 'acme', actorId: 'alice' },
      returned: 1,
    });
  });

  it('rejects bad options naming the field', () => {
    expect(() => auditTrail({ store: {} as never })).toThrow(/store: must be an audit store/);
    expect(() => auditTrail({ store: memoryStore(), queue: { max: 0 } })).toThrow(/queue\.max/);
  });
});

describe('auditTrail with a store that refuses one event as bad data', () => {
  it('sets the event aside (counted, written to <spill>.rejected.ndjson) and stores the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-reject-'));
    const path = join(dir, 'spill.ndjson');
    const inner = memoryStore();
    const store: AuditStore = {
      ...inner,
      async append(events) {
        if (events.some((e) => e.metadata.poison))
          throw Object.assign(new Error('invalid byte sequence'), { code: '22021' });
        return inner.append(events);
      },
    };
    const audit = auditTrail({ store, ...quiet, spill: { path }, queue: { batchSize: 10 } });
    for (let i = 0; i < 10; i++)
      audit.record({
        action: 'x.update',
        tenantId: 'rj',
        metadata: i === 4 ? { poison: true } : {},
      });
    await audit.flush();
    expect(audit.stats()).toMatchObject({ stored: 9, rejected: 1, dropped: 0 });
    expect(readFileSync(`${path}.rejected.ndjson`, 'utf8')).toContain('"poison":true');
    expect((await audit.verify({ tenantId: 'rj' })).ok).toBe(true);
  });
});

describe('auditTrail after close()', () => {
  it('spills (or counts as dropped) what is recorded after close, never queues it silently', async () => {
    const path = spillFile('audit-late');
    const spilling = auditTrail({ store: memoryStore(), ...quiet, spill: { path } });
    await spilling.close();
    spilling.record({ action: 'x.update' });
    expect(spilling.stats()).toMatchObject({ spilled: 1, dropped: 0, queued: 0 });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
    const plain = auditTrail({ store: memoryStore(), ...quiet });
    await plain.close();
    plain.record({ action: 'x.update' });
    expect(plain.stats()).toMatchObject({ dropped: 1, queued: 0 });
  });
});
