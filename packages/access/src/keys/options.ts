import type { PlatformLogger } from '@platform/core';
import { z } from 'zod';
import { ENVIRONMENT, PREFIX } from './format.js';
import type { ApiKeyStore } from './store.js';

const DAY = 86_400_000;

export const keysSchema = z.object({
  store: z.custom<ApiKeyStore>(
    (v) => typeof (v as ApiKeyStore | null)?.get === 'function',
    'must be an ApiKeyStore (memoryKeyStore(), postgresKeyStore(...))',
  ),
  prefix: z.string().regex(PREFIX).default('pk'),
  environment: z.string().regex(ENVIRONMENT).default('live'),
  environments: z.array(z.string().regex(ENVIRONMENT)).min(1).optional(),
  graceMs: z
    .number()
    .int()
    .min(0)
    .max(90 * DAY)
    .default(DAY),
  activityFlushMs: z.number().int().min(10).max(3_600_000).default(10_000),
  activityMaxKeys: z.number().int().min(1).max(1_000_000).default(10_000),
  cacheMs: z.number().int().min(0).max(300_000).default(0),
  logger: z.custom<PlatformLogger>((v) => typeof v === 'object' && v !== null).optional(),
  shutdown: z.boolean().default(true),
  now: z.custom<() => number>((v) => typeof v === 'function').optional(),
});

export interface ApiKeysOptions {
  /** Where keys live: `memoryKeyStore()` or `postgresKeyStore({ client })`. */
  store: ApiKeyStore;
  /** First part of every key, `[a-z][a-z0-9]{0,15}`. Default `pk`. */
  prefix?: string;
  /** Environment of keys created without one (`live`, `test`, ...). Default `live`. */
  environment?: string;
  /** Environments this process accepts keys of. Default: every environment. */
  environments?: string[];
  /** How long the old secret keeps working after a rotation. Default 24 h. */
  graceMs?: number;
  /** How often per-key use counts and last-used times are written. Default 10 000 ms. */
  activityFlushMs?: number;
  /** Distinct keys gathered before a write starts early. Default 10 000. */
  activityMaxKeys?: number;
  /**
   * Keeps each key's record this long after a lookup, sparing the store a read per request.
   * A revocation or rotation made by another process is seen up to this late; this process's
   * own `revoke` and `rotate` apply at once. Unknown ids are never cached. Default 0 (off).
   */
  cacheMs?: number;
  logger?: PlatformLogger;
  /** Flush activity on core's `shutdown()`. Default true. */
  shutdown?: boolean;
  /** The clock (epoch ms), for tests. */
  now?: () => number;
}

const name = z.string().trim().min(1).max(128);
const scope = z.string().regex(/^[A-Za-z0-9._:*-]{1,64}$/, 'scopes are [A-Za-z0-9._:*-]{1,64}');

export const createSchema = z.object({
  name,
  tenantId: z.string().min(1).max(128).optional(),
  environment: z.string().regex(ENVIRONMENT).optional(),
  scopes: z.array(scope).max(64).default([]),
  roles: z
    .array(z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/))
    .max(32)
    .default([]),
  expiresAt: z.union([z.date(), z.iso.datetime(), z.number().int().positive()]).optional(),
  expiresInMs: z.number().int().positive().optional(),
});

export type CreateKeyInput = z.input<typeof createSchema>;
