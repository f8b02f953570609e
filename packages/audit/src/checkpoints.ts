import type { CheckpointAnchor } from './anchor.js';
import { type Checkpoint, type Signer, signCheckpoint } from './chain.js';
import type { StoredEvent } from './schema.js';
import type { AuditStore } from './store.js';

export interface CheckpointSettings {
  everyEvents: number;
  everyMs: number;
  onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  anchor?: CheckpointAnchor;
}

/**
 * The trail's periodic checkpoints: after each stored batch, a tenant that reached
 * `everyEvents` events or `everyMs` since its last checkpoint gets a signed one, saved in the
 * store, copied to the anchor and handed to `onCheckpoint`. `settle()` waits for those in flight.
 */
export function checkpointer(
  signer: Signer,
  store: AuditStore,
  settings: CheckpointSettings,
  report: (error: unknown, where: string) => void,
) {
  const since = new Map<string, { count: number; at: number }>();
  const pending = new Set<Promise<unknown>>();

  /** Copies a checkpoint outside the store (anchor, `onCheckpoint`). */
  const publish = async (cp: Checkpoint) => {
    await settings.anchor?.save(cp);
    await settings.onCheckpoint?.(cp);
  };
  const save = async (cp: Checkpoint) => {
    await store.saveCheckpoint(cp);
    await publish(cp);
  };
  const track = (work: Promise<unknown>) => {
    const done = work.catch((error) => report(error, 'checkpoint'));
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  const due = (tenantId: string, count: number, now: number): boolean => {
    const s = since.get(tenantId) ?? { count: 0, at: now };
    s.count += count;
    since.set(tenantId, s);
    if (s.count < settings.everyEvents && now - s.at < settings.everyMs) return false;
    since.set(tenantId, { count: 0, at: now });
    return true;
  };

  return {
    save,
    /** Anchors and hands on checkpoints the store already saved (purge's). */
    publish: (cp: Checkpoint) => track(Promise.resolve().then(() => publish(cp))),
    onStored(events: StoredEvent[]): void {
      // a per-process key's checkpoints would be false alarms for every other process
      if (signer.ephemeral) return;
      const last = new Map<string, StoredEvent>();
      const counts = new Map<string, number>();
      for (const e of events) {
        last.set(e.tenantId, e);
        counts.set(e.tenantId, (counts.get(e.tenantId) ?? 0) + 1);
      }
      const now = Date.now();
      for (const [tenantId, e] of last) {
        if (!due(tenantId, counts.get(tenantId) ?? 0, now)) continue;
        track(
          save(signCheckpoint(signer, { tenantId, seq: e.seq, hash: e.hash, kind: 'periodic' })),
        );
      }
    },
    settle: () => Promise.all([...pending]),
  };
}

export type Checkpointer = ReturnType<typeof checkpointer>;
