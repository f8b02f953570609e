import { z } from 'zod';
import type { KeyProvider } from './keys/provider.js';
import type { DataKeyStore } from './store.js';

/** Who may not be erased: tenant ids (the list `audit.purge({ holds })` takes), single subjects, or a callback. */
export type LegalHolds =
  | readonly (string | { tenantId: string; subjectId?: string })[]
  | ((scope: { tenantId: string; subjectId: string }) => boolean | Promise<boolean>);

/** Where erasures are recorded: an `@platform/audit` trail, or anything with the same `record()`. */
export interface AuditSink {
  record(input: {
    action: string;
    crud?: 'c' | 'r' | 'u' | 'd';
    outcome?: 'success' | 'failure' | 'unknown';
    severity?: 'info' | 'low' | 'medium' | 'high' | 'critical';
    reason?: string;
    tenantId?: string;
    targets?: { type: string; id: string }[];
    metadata?: Record<string, unknown>;
  }): unknown;
}

export interface FieldProtectorOptions {
  /** Where key-encryption keys live: `memoryKeyProvider()`, `localKeyProvider({ path })`, or a KMS adapter. */
  keys: KeyProvider;
  /** Where wrapped data keys live: `memoryKeyStore()` or `postgresKeyStore({ client })`. */
  store: DataKeyStore;
  /**
   * Unwrapped data keys kept in this process: `ttlMs` (default 60,000; 0 for none), at most
   * `max` (10,000). Another process may still open an erased subject's values until its copy
   * expires: `ttlMs` bounds that.
   */
  cache?: { ttlMs?: number; max?: number };
  /** Blind index length in bytes (default 16, at least 4): shorter means more collisions, less linkage. */
  blindIndexBytes?: number;
  /** Tenants and subjects whose erasure is refused (LegalHoldError). */
  holds?: LegalHolds;
  /** Records each erasure (and each one refused) as `privacy.subject.erase`. */
  audit?: AuditSink;
}

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', `must be ${what}`);

export const protectorSchema = z.object({
  keys: z.custom<KeyProvider>(
    (v) =>
      typeof (v as KeyProvider | undefined)?.wrap === 'function' &&
      typeof (v as KeyProvider).unwrap === 'function',
    'must be a key provider (an object with currentKekId(), wrap() and unwrap())',
  ),
  store: z.custom<DataKeyStore>(
    (v) => typeof (v as DataKeyStore | undefined)?.create === 'function',
    'must be a data key store (memoryKeyStore(), postgresKeyStore() or your own)',
  ),
  cache: z
    .object({
      ttlMs: z.number().int().min(0).max(86_400_000).default(60_000),
      max: z.number().int().min(1).max(10_000_000).default(10_000),
    })
    .default({ ttlMs: 60_000, max: 10_000 }),
  blindIndexBytes: z.number().int().min(4).max(32).default(16),
  holds: z
    .union([
      z.array(
        z.union([
          z.string().min(1),
          z.object({ tenantId: z.string().min(1), subjectId: z.string().min(1).optional() }),
        ]),
      ),
      fn<Exclude<LegalHolds, readonly unknown[]>>(
        'a function or a list of tenant ids / { tenantId, subjectId }',
      ),
    ])
    .default([]),
  audit: z
    .custom<AuditSink>(
      (v) => typeof (v as AuditSink | undefined)?.record === 'function',
      'must have record() (an audit trail)',
    )
    .optional(),
});
