import type { KeyObject } from 'node:crypto';
import { type Checkpoint, checkpointValid, GENESIS_HASH, hashEvent } from './chain.js';
import type { StoredEvent } from './schema.js';
import type { AuditStore } from './store.js';

export type TamperKind = 'edited' | 'deleted' | 'reordered' | 'bad-signature';

export interface VerifyResult {
  ok: boolean;
  tenantId: string;
  /** Events whose links were checked. */
  checked: number;
  /** Checkpoints whose signature and hash were checked. */
  checkpoints: number;
  lastSeq?: number;
  lastHash?: string;
  /** The first seq where the chain breaks, and why. */
  brokenAt?: number;
  kind?: TamperKind;
  detail?: string;
}

export interface VerifyOptions {
  tenantId: string;
  /** First seq to check (default: the first stored). */
  from?: number;
  /** Last seq to check (default: the chain head). */
  to?: number;
  /** A checkpoint kept outside the database to anchor against (its signature is checked too). */
  checkpoint?: Checkpoint;
  /** Public keys by key id that checkpoints must verify with. */
  publicKeys: Record<string, KeyObject>;
}

/**
 * Walks a chain of events in seq order (one-event lookahead, constant memory) and
 * reports the first break: a gap (`deleted`), a link that verifies one place later
 * (`reordered`), or a hash that matches nothing (`edited`).
 */
export async function verifyEvents(
  events: AsyncIterable<StoredEvent>,
  options: {
    tenantId: string;
    anchor?: { seq: number; hash: string };
    checkpoints: ReadonlyMap<number, Checkpoint>;
    expectTo?: number;
  },
): Promise<VerifyResult> {
  const result: VerifyResult = { ok: true, tenantId: options.tenantId, checked: 0, checkpoints: 0 };
  const fail = (seq: number, kind: TamperKind, detail: string) =>
    Object.assign(result, { ok: false, brokenAt: seq, kind, detail });
  const it = events[Symbol.asyncIterator]();
  let expected = options.anchor ? options.anchor.seq + 1 : undefined;
  let prev = options.anchor?.hash;
  let next = await it.next();
  try {
    while (!next.done) {
      const row = next.value;
      next = await it.next();
      if (expected === undefined) {
        if (row.seq !== 1)
          return fail(
            1,
            'deleted',
            `chain starts at seq ${row.seq} without a checkpoint before it`,
          );
        expected = 1;
        prev = GENESIS_HASH;
      }
      if (row.seq > expected)
        return fail(expected, 'deleted', `seq ${expected} is missing (next is ${row.seq})`);
      if (row.seq < expected)
        return fail(row.seq, 'reordered', `seq ${row.seq} appears again after ${expected - 1}`);
      if (row.prevHash !== prev || hashEvent(prev as string, row) !== row.hash) {
        const after = next.done ? undefined : next.value;
        if (after && hashEvent(prev as string, { ...after, seq: row.seq }) === after.hash) {
          return fail(
            row.seq,
            'reordered',
            `the event stored at seq ${after.seq} belongs at seq ${row.seq}`,
          );
        }
        return fail(row.seq, 'edited', `seq ${row.seq} does not match its hash`);
      }
      const cp = options.checkpoints.get(row.seq);
      if (cp) {
        result.checkpoints++;
        if (cp.hash !== row.hash)
          return fail(row.seq, 'edited', `checkpoint at seq ${row.seq} holds another hash`);
      }
      prev = row.hash;
      result.checked++;
      result.lastSeq = row.seq;
      result.lastHash = row.hash;
      expected++;
    }
  } finally {
    await it.return?.();
  }
  if (
    options.expectTo !== undefined &&
    (result.lastSeq ?? options.anchor?.seq ?? 0) < options.expectTo
  ) {
    const missing = (result.lastSeq ?? options.anchor?.seq ?? 0) + 1;
    return fail(missing, 'deleted', `chain ends before seq ${options.expectTo}`);
  }
  return result;
}

/**
 * Verifies a tenant's chain in a store: every checkpoint's signature, every link from
 * the first stored event (or `from`) to the head (or `to`), and the head itself, so a
 * removed tail is found too.
 *
 * @example
 * const result = await verifyChain(store, { tenantId: 'acme', publicKeys: { main: publicKey } });
 * if (!result.ok) console.error(`broken at seq ${result.brokenAt}: ${result.kind}`);
 */
export async function verifyChain(
  store: AuditStore,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const { tenantId } = options;
  const all = await store.checkpoints(tenantId);
  if (options.checkpoint) all.push(options.checkpoint);
  const bySeq = new Map<number, Checkpoint>();
  for (const cp of all) {
    const key = options.publicKeys[cp.keyId];
    if (cp.tenantId !== tenantId || !key || !checkpointValid(cp, key)) {
      return {
        ok: false,
        tenantId,
        checked: 0,
        checkpoints: 0,
        brokenAt: cp.seq,
        kind: 'bad-signature',
        detail: `checkpoint at seq ${cp.seq} (key ${cp.keyId}) does not verify`,
      };
    }
    bySeq.set(cp.seq, cp);
  }
  const head = await store.head(tenantId);
  const to = options.to ?? head?.seq;
  let start = options.from;
  if (start === undefined) {
    for await (const e of store.export({ tenantId })) {
      start = e.seq;
      break;
    }
  }
  // nothing stored (all purged): the chain must be anchored at its head by a checkpoint
  start ??= head ? head.seq + 1 : 1;
  let anchor: { seq: number; hash: string } | undefined;
  if (start > 1) {
    const cp = bySeq.get(start - 1);
    if (cp) anchor = { seq: cp.seq, hash: cp.hash };
    else if (options.from !== undefined) {
      for await (const e of store.export({ tenantId, fromSeq: start - 1, toSeq: start - 1 })) {
        anchor = { seq: e.seq, hash: e.hash };
      }
    }
  }
  const result = await verifyEvents(store.export({ tenantId, fromSeq: start, toSeq: to }), {
    tenantId,
    anchor,
    checkpoints: bySeq,
    expectTo: to,
  });
  if (
    result.ok &&
    options.to === undefined &&
    head &&
    result.lastHash !== head.hash &&
    result.lastSeq === head.seq
  ) {
    return {
      ...result,
      ok: false,
      brokenAt: head.seq,
      kind: 'edited',
      detail: 'the head does not match the last event',
    };
  }
  return result;
}
