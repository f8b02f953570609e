import { ConfigError, counter, diagnostics, manage, parseOptions } from '@platform/core';
import { Activity } from './activity.js';
import {
  digestOf,
  formatKey,
  hashSecret,
  newKeyId,
  newSecret,
  parseKey,
  sameHash,
} from './format.js';
import { type ApiKeyInfo, infoOf } from './info.js';
import { type ApiKeysOptions, type CreateKeyInput, createSchema, keysSchema } from './options.js';
import type { ApiKeyListQuery, ApiKeyRecord } from './store.js';

/** What a verified key puts in the request context. */
export interface VerifiedKey {
  id: string;
  name: string;
  tenantId?: string;
  environment: string;
  scopes: readonly string[];
  roles: readonly string[];
}

/** Why a key was refused: for logs and metrics only, never for the caller (one 401 for all). */
export type KeyRefusal =
  | 'malformed'
  | 'unknown'
  | 'mismatch'
  | 'revoked'
  | 'expired'
  | 'environment';

export type VerifyResult =
  | { ok: true; key: VerifiedKey }
  | { ok: false; reason: KeyRefusal }
  | { ok: false; reason: 'unavailable'; error: unknown };

/** A new or rotated key: `key` is the only time the full key exists outside the caller. */
export interface IssuedKey {
  key: string;
  info: ApiKeyInfo;
}

export interface ApiKeys {
  readonly prefix: string;
  create(input: CreateKeyInput): Promise<IssuedKey>;
  /** Checks a presented key; all refusals cost about the same time. Never throws. */
  verify(presented: string | undefined): Promise<VerifyResult>;
  /** A new secret for the same key id; the old one works for `graceMs` more. */
  rotate(id: string, options?: { graceMs?: number }): Promise<IssuedKey | undefined>;
  revoke(id: string): Promise<ApiKeyInfo | undefined>;
  get(id: string): Promise<ApiKeyInfo | undefined>;
  list(query?: ApiKeyListQuery): Promise<{ keys: ApiKeyInfo[]; nextCursor?: string }>;
  /** Writes gathered use counts and last-used times. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const verifications = counter({
  name: 'platform_access_api_key_verifications_total',
  help: 'API key verifications by outcome (ok or the refusal reason)',
  labelNames: ['outcome'],
});

/** Keys whose records `cacheMs` keeps at most; forgotten wholesale when full. */
const MAX_CACHED = 10_000;

function expiryOf(input: ReturnType<typeof createSchema.parse>, now: number): number | undefined {
  if (input.expiresInMs !== undefined) return now + input.expiresInMs;
  if (input.expiresAt === undefined) return undefined;
  return typeof input.expiresAt === 'number'
    ? input.expiresAt
    : new Date(input.expiresAt).getTime();
}

/**
 * API keys: `<prefix>_<environment>_<id>_<secret>` with a 256-bit secret, stored only as its
 * SHA-256, with scopes, roles, tenant, environment, expiry, rotation with a grace period,
 * revocation and batched activity (use count, last use).
 *
 * @example
 * const keys = apiKeys({ store: memoryKeyStore() });
 * const { key } = await keys.create({ name: 'billing sync', tenantId: 'acme', scopes: ['invoices:read'] });
 * const result = await keys.verify(key); // { ok: true, key: { id, tenantId: 'acme', scopes, ... } }
 */
export function apiKeys(options: ApiKeysOptions): ApiKeys {
  const o = parseOptions(keysSchema, options, 'apiKeys');
  const store = o.store;
  const now = o.now ?? Date.now;
  const diag = diagnostics('@platform/access', { logger: o.logger });
  const activity = new Activity(
    store,
    { flushIntervalMs: o.activityFlushMs, maxKeys: o.activityMaxKeys },
    diag,
  );
  const accepted = o.environments && new Set(o.environments);
  const cache =
    o.cacheMs > 0 ? new Map<string, { record: ApiKeyRecord; until: number }>() : undefined;

  const lookup = async (id: string): Promise<ApiKeyRecord | undefined> => {
    const hit = cache?.get(id);
    if (hit && hit.until > now()) return hit.record;
    const record = await store.get(id);
    if (cache && record) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(id, { record, until: now() + o.cacheMs });
    }
    return record;
  };

  const refuse = (reason: KeyRefusal): VerifyResult => {
    verifications.inc({ outcome: reason });
    return { ok: false, reason };
  };

  const withPending = (r: ApiKeyRecord): ApiKeyRecord => {
    const p = activity.pending(r.id);
    if (!p) return r;
    return { ...r, uses: r.uses + p.uses, lastUsedAt: Math.max(r.lastUsedAt ?? 0, p.lastUsedAt) };
  };

  async function issue(record: ApiKeyRecord, secret: string): Promise<IssuedKey> {
    const key = formatKey({
      prefix: o.prefix,
      environment: record.environment,
      id: record.id,
      secret,
    });
    return { key, info: infoOf(record, now()) };
  }

  async function verify(presented: string | undefined): Promise<VerifyResult> {
    const parsed = parseKey(presented);
    // the digest is computed on every path, so a malformed key costs what a wrong one does
    const digest = digestOf(parsed?.secret ?? presented ?? '');
    let record: ApiKeyRecord | undefined;
    if (parsed && parsed.prefix === o.prefix) {
      try {
        record = await lookup(parsed.id);
      } catch (error) {
        verifications.inc({ outcome: 'unavailable' });
        return { ok: false, reason: 'unavailable', error };
      }
    }
    const t = now();
    const current = sameHash(digest, record?.secretHash);
    const previous = sameHash(digest, record?.previousHash);
    if (!parsed || parsed.prefix !== o.prefix) return refuse('malformed');
    if (!record) return refuse('unknown');
    if (!current && !(previous && (record.previousExpiresAt ?? 0) > t)) return refuse('mismatch');
    if (record.revokedAt !== undefined) return refuse('revoked');
    if (record.expiresAt !== undefined && record.expiresAt <= t) return refuse('expired');
    if (
      parsed.environment !== record.environment ||
      (accepted && !accepted.has(record.environment))
    )
      return refuse('environment');
    activity.touch(record.id, t);
    verifications.inc({ outcome: 'ok' });
    const key: VerifiedKey = {
      id: record.id,
      name: record.name,
      environment: record.environment,
      scopes: record.scopes,
      roles: record.roles,
    };
    if (record.tenantId !== undefined) key.tenantId = record.tenantId;
    return { ok: true, key };
  }

  const close = async () => {
    unregister();
    activity.stop();
    await activity.flush();
  };
  const unregister = manage('access-api-keys', { close }, { shutdown: o.shutdown });

  return {
    prefix: o.prefix,
    verify,
    async create(input) {
      const i = parseOptions(createSchema, input, 'apiKeys.create');
      const t = now();
      const expiresAt = expiryOf(i, t);
      if (expiresAt !== undefined && !(expiresAt > t)) {
        const message = 'must be in the future';
        throw new ConfigError(`apiKeys.create: expiresAt ${message}`, [
          { path: 'expiresAt', message },
        ]);
      }
      const secret = newSecret();
      const record: ApiKeyRecord = {
        id: newKeyId(),
        name: i.name,
        environment: i.environment ?? o.environment,
        scopes: [...new Set(i.scopes)],
        roles: [...new Set(i.roles)],
        secretHash: hashSecret(secret),
        createdAt: t,
        uses: 0,
      };
      if (i.tenantId !== undefined) record.tenantId = i.tenantId;
      if (expiresAt !== undefined) record.expiresAt = expiresAt;
      await store.insert(record);
      return issue(record, secret);
    },
    async rotate(id, rotateOptions = {}) {
      const graceMs = rotateOptions.graceMs ?? o.graceMs;
      if (!Number.isInteger(graceMs) || graceMs < 0) {
        throw new TypeError('rotate: graceMs must be a non-negative integer');
      }
      const secret = newSecret();
      const t = now();
      cache?.delete(id);
      const record = await store.rotate(id, {
        secretHash: hashSecret(secret),
        previousExpiresAt: t + graceMs,
        at: t,
      });
      cache?.delete(id); // a lookup in flight meanwhile may have cached the old record
      return record && issue(record, secret);
    },
    async revoke(id) {
      cache?.delete(id);
      const record = await store.revoke(id, now());
      cache?.delete(id);
      return record && infoOf(withPending(record), now());
    },
    async get(id) {
      const record = await store.get(id);
      return record && infoOf(withPending(record), now());
    },
    async list(query = {}) {
      const page = await store.list(query);
      const t = now();
      const keys = page.keys.map((r) => infoOf(withPending(r), t));
      return page.nextCursor ? { keys, nextCursor: page.nextCursor } : { keys };
    },
    flush: () => activity.flush(),
    close,
  };
}
