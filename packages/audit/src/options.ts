import type { KeyObject } from 'node:crypto';
import type { PlatformLogger } from '@platform/core';
import { z } from 'zod';
import type { CheckpointAnchor } from './anchor.js';
import type { Checkpoint } from './chain.js';
import type { AuditErrorListener, AuditLogger } from './report.js';
import type { AuditStore } from './store.js';

const fn = <T>() => z.custom<T>((v) => typeof v === 'function', 'must be a function');

export type { AuditLogger } from './report.js';

export const trailSchema = z
  .object({
    store: z.custom<AuditStore>(
      (v) => typeof (v as AuditStore | undefined)?.append === 'function',
      'must be an audit store (an object with append())',
    ),
    defaultTenant: z.string().min(1).max(256).default('default'),
    queue: z
      .object({
        max: z.number().int().min(1).max(10_000_000).default(10_000),
        batchSize: z.number().int().min(1).max(10_000).default(500),
        flushIntervalMs: z.number().int().min(0).max(60_000).default(50),
      })
      .default({ max: 10_000, batchSize: 500, flushIntervalMs: 50 }),
    retry: z
      .object({
        initialMs: z.number().int().min(1).max(60_000).default(100),
        maxMs: z.number().int().min(1).max(600_000).default(5_000),
      })
      .default({ initialMs: 100, maxMs: 5_000 }),
    spill: z.union([z.literal(false), z.object({ path: z.string().min(1) })]).default(false),
    log: z.union([z.literal(false), fn<AuditLogger>()]).optional(),
    redact: z
      .object({ keys: z.array(z.string()).default([]), paths: z.array(z.string()).default([]) })
      .default({ keys: [], paths: [] }),
    signing: z
      .object({
        privateKey: z.union([
          z.string(),
          z.custom<KeyObject>((v) => typeof v === 'object' && v !== null),
        ]),
        keyId: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must match [A-Za-z0-9._-]{1,64}')
          .default('default'),
        /** Older public keys by key id, so checkpoints signed before a rotation still verify. */
        previousKeys: z
          .record(z.string(), z.union([z.string(), z.custom<KeyObject>()]))
          .default({}),
      })
      .optional(),
    checkpoint: z
      .object({
        everyEvents: z.number().int().min(1).default(1000),
        everyMs: z.number().int().min(1000).default(300_000),
        onCheckpoint: fn<(checkpoint: Checkpoint) => void | Promise<void>>().optional(),
        anchor: z
          .custom<CheckpointAnchor>(
            (v) => typeof (v as CheckpointAnchor | undefined)?.save === 'function',
            'must be a checkpoint anchor (an object with save(), e.g. fileAnchor(path))',
          )
          .optional(),
      })
      .default({ everyEvents: 1000, everyMs: 300_000 }),
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .default(7 * 365),
    shutdown: z
      .union([
        z.literal(false),
        z.literal(true).transform(() => ({ timeoutMs: 5_000 })),
        z.object({ timeoutMs: z.number().int().min(1).default(5_000) }),
      ])
      .default({ timeoutMs: 5_000 }),
    logger: z
      .custom<PlatformLogger>(
        (v) => typeof (v as PlatformLogger | undefined)?.info === 'function',
        'must be a logger (pino-compatible: error, warn, info, debug)',
      )
      .optional(),
    onError: fn<AuditErrorListener>().optional(),
  })
  .refine((o) => !o.checkpoint.anchor || o.signing, {
    path: ['checkpoint', 'anchor'],
    message:
      'needs signing.privateKey: checkpoints signed by a per-process key cannot be checked by anyone else',
  });

export interface AuditTrailOptions {
  /** Where events go: `memoryStore()` or `postgresStore()`. */
  store: AuditStore;
  /** Tenant for events recorded outside any tenant. Default `'default'`. */
  defaultTenant?: string;
  /** Bounded queue: `max` events (default 10,000), written in batches of `batchSize` (500) at least every `flushIntervalMs` (50). */
  queue?: { max?: number; batchSize?: number; flushIntervalMs?: number };
  /** Backoff while the store is down: doubles from `initialMs` (100) to `maxMs` (5,000), with jitter. */
  retry?: { initialMs?: number; maxMs?: number };
  /** NDJSON file for what a full queue cannot hold, replayed once the store answers. Default `false` (dropped and counted). */
  spill?: false | { path: string };
  /**
   * The log copy of each event: by default one info line (`msg: 'audit'`, the event under
   * `audit`) through `logger`; your own `(line) => void`; or `false` for none.
   */
  log?: false | AuditLogger;
  /**
   * Where the trail logs (event copies; errors, at most one line a second, when there is no `onError`).
   * Default: the process-wide logger (`@platform/tracing`'s once created; JSON lines on stderr before).
   */
  logger?: PlatformLogger;
  /** Extra sensitive keys (any depth) and dotted paths (`metadata.body.email`). */
  redact?: { keys?: string[]; paths?: string[] };
  /** Ed25519 key for checkpoints. Without it a key is generated per process (fine for tests, not for compliance). */
  signing?: {
    privateKey: string | KeyObject;
    keyId?: string;
    previousKeys?: Record<string, string | KeyObject>;
  };
  /**
   * A signed checkpoint every `everyEvents` (1,000) events or `everyMs` (5 min) per tenant,
   * saved in the store, copied to `anchor` (outside the database: `fileAnchor(path)`,
   * `webhookAnchor({url})`, or your own) and passed to `onCheckpoint`. Without `signing`,
   * no periodic checkpoints are made: no other process could check them.
   */
  checkpoint?: {
    everyEvents?: number;
    everyMs?: number;
    onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
    /** Keeps copies outside the database; `verify()` checks the chain against them too. Needs `signing`. */
    anchor?: CheckpointAnchor;
  };
  /** Default retention for `purge()`. Default 7 years. */
  retentionDays?: number;
  /** Drain on `shutdown()` from @platform/core within `timeoutMs` (5,000); `false` to manage it yourself. */
  shutdown?: boolean | { timeoutMs?: number };
  /**
   * Called with every error the trail handled (store failures, drops, spill, checkpoint and
   * log errors): core's `(error, info)` listener, `info.where` saying where, `info.code` its
   * `AUDIT_<WHERE>` code. Without it, errors are logged through `logger`, at most one line
   * a second.
   */
  onError?: AuditErrorListener;
}
