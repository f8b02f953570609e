import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson, canonicalJsonWith } from './canonical.js';
import type { AuditEvent, StoredEvent } from './schema.js';

/** The previous hash of a tenant's first event. */
export const GENESIS_HASH = '0'.repeat(64);
const EVENT_DOMAIN = 'platform-audit:event:v1\n';
const CHECKPOINT_DOMAIN = 'platform-audit:checkpoint:v1\n';

/** The event fields that are hashed: everything but the chain links themselves. */
export function eventBody(e: StoredEvent | AuditEvent): AuditEvent {
  const { prevHash: _p, hash: _h, ...body } = e as StoredEvent;
  return body;
}

/** SHA-256 over the domain prefix, the previous hash and the canonical JSON of the event. */
export function hashEvent(prevHash: string, event: AuditEvent): string {
  return hashCanonical(prevHash, canonicalJson(eventBody(event)));
}

// one update() with the whole input: each call into the hash costs more than the concatenation
// crypto.hash (Node 20.12+): the same digest as createHash().update().digest() in one call,
// without a Hash object per event, about twice as fast for an event-sized input
const hashCanonical = (prevHash: string, json: string) =>
  hash('sha256', `${EVENT_DOMAIN}${prevHash}\n${json}`, 'hex');

/** A signed statement that a tenant's chain had `hash` at `seq`. */
export interface Checkpoint {
  tenantId: string;
  seq: number;
  hash: string;
  createdAt: string;
  /** `periodic` (every N events or minutes) or `purge` (the boundary of a purge). */
  kind: 'periodic' | 'purge';
  keyId: string;
  /** Ed25519 signature, base64. */
  signature: string;
}

export interface Signer {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** A key made for this process only: what it signs no other process can check. */
  ephemeral?: boolean;
}

/** Key ids of per-process keys (`ephemeral-<hex>`, and the plain `ephemeral` of earlier versions). */
export const isEphemeralKeyId = (keyId: string) => /^ephemeral(-[0-9a-f]{8,})?$/.test(keyId);

/**
 * Builds a signer from a PEM/KeyObject private key, or a fresh key pair for this process
 * only (`ephemeral: true`, key id `ephemeral-<hex>` unless `keyId` is given).
 */
export function createSigner(key?: string | KeyObject, keyId?: string): Signer {
  if (key === undefined) {
    const pair = generateKeyPairSync('ed25519');
    return {
      keyId: keyId ?? `ephemeral-${randomBytes(4).toString('hex')}`,
      ...pair,
      ephemeral: true,
    };
  }
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('audit signing key must be an Ed25519 private key');
  }
  return { keyId: keyId ?? 'default', privateKey, publicKey: createPublicKey(privateKey) };
}

/** Converts a PEM string or KeyObject to a public KeyObject. */
export function toPublicKey(key: string | KeyObject): KeyObject {
  return typeof key === 'string'
    ? createPublicKey(key)
    : key.type === 'private'
      ? createPublicKey(key)
      : key;
}

const checkpointBytes = (c: Omit<Checkpoint, 'signature'>) =>
  Buffer.from(
    CHECKPOINT_DOMAIN +
      canonicalJson({
        tenantId: c.tenantId,
        seq: c.seq,
        hash: c.hash,
        createdAt: c.createdAt,
        kind: c.kind,
        keyId: c.keyId,
      }),
  );

export function signCheckpoint(
  signer: Signer,
  at: { tenantId: string; seq: number; hash: string; kind: Checkpoint['kind'] },
): Checkpoint {
  const body = { ...at, createdAt: new Date().toISOString(), keyId: signer.keyId };
  return {
    ...body,
    signature: sign(null, checkpointBytes(body), signer.privateKey).toString('base64'),
  };
}

export function checkpointValid(c: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointBytes(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Places events after `head` in the chain: seq, recordedAt, prevHash, hash. `json`, when
 * given, receives each event's canonical JSON (what was hashed), so a store can keep it
 * without serializing twice.
 */
export function linkEvents(
  head: { seq: number; hash: string } | undefined,
  events: readonly Omit<AuditEvent, 'seq' | 'recordedAt'>[],
  recordedAt: string,
  json?: string[],
): StoredEvent[] {
  const out: StoredEvent[] = [];
  linkUntil(out, head, events, recordedAt, json, Number.POSITIVE_INFINITY);
  return out;
}

/** How long one synchronous stretch of chain work may hold the event loop. */
const SLICE_MS = 0.1;

/**
 * `linkEvents()` in slices of about a tenth of a millisecond with the event loop let through in
 * between, so linking a batch of 500 events (canonical JSON and SHA-256, some milliseconds)
 * never holds up the requests that arrive meanwhile. Same result, same order.
 */
export async function linkEventsInSlices(
  head: { seq: number; hash: string } | undefined,
  events: readonly Omit<AuditEvent, 'seq' | 'recordedAt'>[],
  recordedAt: string,
  json?: string[],
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  while (linkUntil(out, head, events, recordedAt, json, performance.now() + SLICE_MS)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Links `events` from `out.length` on until done or past `deadline`; true when some are left. */
function linkUntil(
  out: StoredEvent[],
  head: { seq: number; hash: string } | undefined,
  events: readonly Omit<AuditEvent, 'seq' | 'recordedAt'>[],
  recordedAt: string,
  json: string[] | undefined,
  deadline: number,
): boolean {
  const tail = out.length > 0 ? out[out.length - 1] : head;
  let seq = tail?.seq ?? 0;
  let prev = tail?.hash ?? GENESIS_HASH;
  for (let i = out.length; i < events.length; ) {
    const event = events[i] as Record<string, unknown>;
    const place = { seq: ++seq, recordedAt };
    // hashed without the copy it would take to add seq and recordedAt
    const canonical = canonicalJsonWith(event, place);
    json?.push(canonical);
    const hash = hashCanonical(prev, canonical);
    const body = storedCopy(event, place);
    // the links go on after hashing, last, as a copy with them appended would have them
    body.prevHash = prev;
    body.hash = hash;
    out.push(body);
    prev = hash;
    i++;
    // one event takes some microseconds to link; reading the clock costs tens of nanoseconds
    if (i < events.length && performance.now() > deadline) return true;
  }
  return false;
}

/**
 * `{ ...event, ...place }`. `Object.assign` makes the same object with about a fifth of
 * the garbage (in V8 a spread with members added takes a slow path, ~2.8 KB per event);
 * it would set the prototype for an own `__proto__` key, which only a spread copies as data.
 */
const storedCopy = (event: Record<string, unknown>, place: { seq: number; recordedAt: string }) =>
  (Object.hasOwn(event, '__proto__')
    ? { ...event, ...place }
    : Object.assign({}, event, place)) as unknown as StoredEvent;
