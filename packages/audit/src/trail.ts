import type { KeyObject } from 'node:crypto';
import { getContext, manage, parseOptions } from '@platform/core';
import { eventBuilder } from './build.js';
import { type Checkpoint, createSigner, signCheckpoint, toPublicKey } from './chain.js';
import { trustedPending } from './check.js';
import { checkpointer } from './checkpoints.js';
import { watchQueue, writerMetrics } from './metrics.js';
import { type AuditTrailOptions, trailSchema } from './options.js';
import { createRedactor } from './redact.js';
import { errorReporter, eventLog } from './report.js';
import { type AuditInput, type PendingEvent, pendingEventSchema } from './schema.js';
import type { AuditPage, AuditQuery, AuditStore, PurgeResult } from './store.js';
import { type VerifyOptions, type VerifyResult, verifyChain } from './verify.js';
import { BatchWriter, type WriterStats } from './writer.js';

export interface AuditTrail {
  /** Queues an event; fills actor, tenant, source and request from the context. Never throws; returns the event id (undefined if invalid). */
  record(input: AuditInput): string | undefined;
  /** Resolves once every event recorded so far is stored (waits while the store is down). */
  flush(): Promise<void>;
  /** Flushes within `timeoutMs`, spills the rest, stops. */
  close(timeoutMs?: number): Promise<void>;
  stats(): WriterStats;
  /** Searches (newest first) and records the read itself as `audit.log.view`. */
  search(query: AuditQuery): Promise<AuditPage>;
  verify(
    options: Omit<VerifyOptions, 'publicKeys'> & { publicKeys?: VerifyOptions['publicKeys'] },
  ): Promise<VerifyResult>;
  /** Drops what is older than the retention (or `before`), except tenants on legal hold; records `audit.purge`. */
  purge(options?: { before?: Date; holds?: readonly string[] }): Promise<PurgeResult>;
  /** Signs a checkpoint at a tenant's current head now and saves it (not with a per-process key: then it is only returned). */
  checkpoint(tenantId: string): Promise<Checkpoint | undefined>;
  readonly store: AuditStore;
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly publicKeys: Record<string, KeyObject>;
}

/**
 * The audit trail: `record()` validates, redacts and queues an event (and logs it) without
 * touching storage; a background writer batches events into the store's per-tenant hash
 * chain, retries while the store is down, spills to NDJSON when the queue is full, and
 * drains on shutdown.
 *
 * @example
 * const audit = auditTrail({ store: postgresStore({ client: pool }), spill: { path: './audit.spill.ndjson' } });
 * audit.record({ action: 'invoice.update', targets: [{ type: 'invoice', id: 'inv_1' }], changes: { before, after } });
 */
export function auditTrail(options: AuditTrailOptions): AuditTrail {
  const o = parseOptions(trailSchema, options, 'auditTrail');
  const diagnosticsOptions = { logger: o.logger, onError: o.onError };
  const report = errorReporter(diagnosticsOptions);
  const logCopy = eventLog(o.log, diagnosticsOptions);
  const signer = createSigner(o.signing?.privateKey, o.signing?.keyId);
  const publicKeys: Record<string, KeyObject> = { [signer.keyId]: signer.publicKey };
  for (const [id, key] of Object.entries(o.signing?.previousKeys ?? {}))
    publicKeys[id] = toPublicKey(key);
  const store = o.store;
  store.reportTo?.(report);
  const anchor = o.checkpoint.anchor;
  const checkpoints = checkpointer(signer, store, o.checkpoint, report);
  const writer = new BatchWriter({
    store,
    maxQueue: o.queue.max,
    batchSize: o.queue.batchSize,
    flushIntervalMs: o.queue.flushIntervalMs,
    retryInitialMs: o.retry.initialMs,
    retryMaxMs: o.retry.maxMs,
    spillPath: o.spill === false ? undefined : o.spill.path,
    onStored: checkpoints.onStored,
    onError: report,
    observer: writerMetrics,
  });
  const unwatch = watchQueue(() => writer.stats.queued);

  const build = eventBuilder(createRedactor(o.redact), o.defaultTenant);

  /** The built event as the schema returns it, or undefined (counted, reported) when invalid. */
  const validate = (built: PendingEvent): PendingEvent | undefined => {
    // events built here from well-formed input skip zod; anything unusual goes through it
    const trusted = trustedPending(built);
    if (trusted) return trusted;
    const parsed = pendingEventSchema.safeParse(built);
    if (parsed.success) return parsed.data as PendingEvent;
    writer.stats.invalid++;
    const issue = parsed.error.issues[0];
    report(
      new TypeError(`invalid audit event: ${issue?.path.join('.')}: ${issue?.message}`),
      'record',
    );
    return undefined;
  };

  const record = (input: AuditInput): string | undefined => {
    try {
      // a fresh copy either way, and redaction already made nested values JSON-safe
      const event = validate(build(input));
      if (!event) return undefined;
      writer.push(event);
      if (logCopy) {
        try {
          logCopy(event);
        } catch (error) {
          report(error, 'log');
        }
      }
      return event.id;
    } catch (error) {
      writer.stats.invalid++;
      report(error, 'record');
      return undefined;
    }
  };

  const shutdownMs = o.shutdown === false ? 5_000 : o.shutdown.timeoutMs;
  const close = async (timeoutMs = shutdownMs) => {
    unregister();
    unwatch();
    await writer.close(timeoutMs);
    await checkpoints.settle();
  };
  // at shutdown the drain leaves 100 ms of its step's deadline for spilling the rest
  const unregister = manage(
    'audit-trail',
    { close: () => close(shutdownMs - 100) },
    { shutdown: o.shutdown !== false },
    shutdownMs,
  );

  return {
    record,
    flush: async () => {
      await writer.flush();
      await checkpoints.settle();
    },
    close,
    stats: () => ({ ...writer.stats }),
    async search(query) {
      const page = await store.query(query);
      record({
        action: 'audit.log.view',
        crud: 'r',
        ...(query.tenantId && { tenantId: query.tenantId }),
        metadata: { filters: { ...query, cursor: undefined }, returned: page.events.length },
      });
      return page;
    },
    verify: async (v) =>
      verifyChain(store, {
        ...v,
        publicKeys: v.publicKeys ?? publicKeys,
        anchored: [...(v.anchored ?? []), ...((await anchor?.load?.(v.tenantId)) ?? [])],
      }),
    async purge(p = {}) {
      const before = p.before ?? new Date(Date.now() - o.retentionDays * 86_400_000);
      const holds = p.holds ?? [];
      const result = await store.purge({
        before,
        holds,
        sign: (b) => signCheckpoint(signer, { ...b, kind: 'purge' }),
      });
      for (const cp of result.checkpoints) checkpoints.publish(cp);
      record({
        action: 'audit.purge',
        crud: 'd',
        actor: { type: 'system', id: getContext()?.actor?.id ?? 'retention' },
        metadata: {
          before: before.toISOString(),
          holds: [...holds],
          removed: result.removed,
          dropped: result.dropped,
          kept: result.kept,
        },
      });
      return result;
    },
    async checkpoint(tenantId) {
      const head = await store.head(tenantId);
      if (!head) return undefined;
      const cp = signCheckpoint(signer, { tenantId, ...head, kind: 'periodic' });
      // with a per-process key it is only handed back (for verify({checkpoint}) in this process)
      if (!signer.ephemeral) await checkpoints.save(cp);
      return cp;
    },
    store,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    publicKeys,
  };
}
