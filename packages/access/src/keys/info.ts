import type { ApiKeyRecord } from './store.js';

/** A key as the admin API and `apiKeys()` show it: never a secret, never a hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  tenantId?: string;
  environment: string;
  scopes: string[];
  roles: string[];
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt?: string;
  rotatedAt?: string;
  /** Until when the secret before the last rotation still works. */
  previousValidUntil?: string;
  revokedAt?: string;
  lastUsedAt?: string;
  uses: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function infoOf(r: ApiKeyRecord, now: number): ApiKeyInfo {
  const status =
    r.revokedAt !== undefined
      ? 'revoked'
      : r.expiresAt !== undefined && r.expiresAt <= now
        ? 'expired'
        : 'active';
  const info: ApiKeyInfo = {
    id: r.id,
    name: r.name,
    environment: r.environment,
    scopes: [...r.scopes],
    roles: [...r.roles],
    status,
    createdAt: iso(r.createdAt) as string,
    uses: r.uses,
  };
  if (r.tenantId !== undefined) info.tenantId = r.tenantId;
  const dates = {
    expiresAt: iso(r.expiresAt),
    rotatedAt: iso(r.rotatedAt),
    previousValidUntil:
      r.previousExpiresAt !== undefined && r.previousExpiresAt > now
        ? iso(r.previousExpiresAt)
        : undefined,
    revokedAt: iso(r.revokedAt),
    lastUsedAt: iso(r.lastUsedAt),
  };
  for (const [k, v] of Object.entries(dates)) if (v !== undefined) Object.assign(info, { [k]: v });
  return info;
}
