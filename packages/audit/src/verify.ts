import type { KeyObject } from 'node:crypto';
import {
  type Checkpoint,
  checkpointValid,
  GENESIS_HASH,
  hashEvent,
  isEphemeralKeyId,
} from './chain.js';
import { verifyFailed } from './metrics.js';
import type { StoredEvent } from './schema.js';
import type { AuditStore } from './store.js';

export type TamperKind = 'edited' | 'deleted' | 'reordered' | 'truncated' | 'bad-signature';

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
  /** What was not checked and why (checkpoints signed by another process's per-process key). */
  notes?: string[];
}

export interface VerifyOptions {
  tenantId: string;
  /** First seq to check (default: the first stored). */
  from?: number;
  /** Last seq to check (default: the chain head). */
  to?: number;
  /** A checkpoint kept outside the database to anchor against (its signature is checked too). */
  checkpoint?: Checkpoint;
  /** Checkpoints kept outside the database (an anchor's copies), checked like `checkpoint`. */
  anchored?: readonly Checkpoint[];
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
    checkpoints: ReadonlyMap<number, readonly Checkpoint[]>;
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
      for (const cp of options.checkpoints.get(row.seq) ?? []) {
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
 * the first stored event (or `from`) to the head (or `to`), the head itself, and every
 * checkpoint outside that range against the row it vouches for, so a removed tail is found
 * even when the head row was moved back with it.
 *
 * Checkpoints signed by a per-process key (`ephemeral-…`) whose public key is not given
 * cannot be checked by anyone else: they are skipped with a note, never reported as tampering.
 *
 * @example
 * const result = await verifyChain(store, { tenantId: 'acme', publicKeys: { main: publicKey } });
 * if (!result.ok) console.error(`broken at seq ${result.brokenAt}: ${result.kind}`);
 */
export async function verifyChain(
  store: AuditStore,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const result = await verifyStoredChain(store, options);
  if (!result.ok) verifyFailed();
  return result;
}

async function verifyStoredChain(store: AuditStore, options: VerifyOptions): Promise<VerifyResult> {
  const { tenantId } = options;
  const all = await store.checkpoints(tenantId);
  if (options.checkpoint) all.push(options.checkpoint);
  if (options.anchored) all.push(...options.anchored);
  const bySeq = new Map<number, Checkpoint[]>();
  let unchecked = 0;
  for (const cp of all) {
    const key = options.publicKeys[cp.keyId];
    if (cp.tenantId === tenantId && !key && isEphemeralKeyId(cp.keyId)) {
      unchecked++;
      continue;
    }
    if (cp.tenantId !== tenantId || !key || !checkpointValid(cp, key)) {
      return {
        ok: false,
        tenantId,
        checked: 0,
        checkpoints: 0,
        brokenAt: cp.seq,
        kind: 'bad-signature',
        detail: key
          ? `checkpoint at seq ${cp.seq} (key ${cp.keyId}) does not verify`
          : `checkpoint at seq ${cp.seq} is signed by key ${cp.keyId}, whose public key was not given`,
      };
    }
    bySeq.set(cp.seq, [...(bySeq.get(cp.seq) ?? []), cp]);
  }
  const notes =
    unchecked > 0
      ? [
          `${unchecked} checkpoint(s) signed by a per-process key were not checked: configure signing.privateKey so checkpoints are evidence`,
        ]
      : undefined;
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
    const cp = bySeq.get(start - 1)?.[0] ?? startAnchor(all, tenantId, start - 1);
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
  if (notes) result.notes = notes;
  if (!result.ok) return result;
  if (
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
  return outsideRange(store, result, bySeq, start, head?.seq ?? 0);
}

/** A per-process checkpoint at a purge boundary: unsigned evidence, but where the kept chain starts. */
const startAnchor = (all: readonly Checkpoint[], tenantId: string, seq: number) =>
  all.find((cp) => cp.tenantId === tenantId && cp.seq === seq && isEphemeralKeyId(cp.keyId));

/**
 * Compares the checkpoints the walk did not reach with the rows they vouch for: one past
 * the last stored event means the tail was cut off (and the head moved back with it), one
 * whose row holds another hash means an edit. Checkpoints before the first stored event
 * mark purged prefixes and have no row to compare.
 */
async function outsideRange(
  store: AuditStore,
  result: VerifyResult,
  bySeq: ReadonlyMap<number, readonly Checkpoint[]>,
  start: number,
  headSeq: number,
): Promise<VerifyResult> {
  const walkedTo = result.lastSeq ?? start - 1;
  const fail = (seq: number, kind: TamperKind, detail: string): VerifyResult => ({
    ...result,
    ok: false,
    brokenAt: seq,
    kind,
    detail,
  });
  const past = [...bySeq.keys()].filter((seq) => seq > walkedTo).sort((a, b) => a - b);
  const furthest = past[past.length - 1];
  if (furthest !== undefined && furthest > Math.max(headSeq, walkedTo)) {
    const last = Math.max(headSeq, walkedTo);
    return fail(
      last + 1,
      'truncated',
      `a signed checkpoint vouches for seq ${furthest}, but the chain ends at seq ${last}: its tail was removed`,
    );
  }
  for (const seq of [...bySeq.keys()].filter((n) => n < start - 1 || n > walkedTo)) {
    let row: { hash: string } | undefined;
    for await (const e of store.export({ tenantId: result.tenantId, fromSeq: seq, toSeq: seq }))
      row = e;
    if (!row) continue;
    for (const cp of bySeq.get(seq) ?? []) {
      result.checkpoints++;
      if (cp.hash !== row.hash)
        return fail(seq, 'edited', `checkpoint at seq ${seq} holds another hash`);
    }
  }
  return result;
}
