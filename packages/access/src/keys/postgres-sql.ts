import type { ApiKeyRecord } from './store.js';

/** Version 1 of the key table, in the quoted schema `s`. */
export const keysSchemaV1 = (s: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${s}.platform_api_keys (
    id text PRIMARY KEY,
    name text NOT NULL,
    tenant_id text,
    environment text NOT NULL,
    scopes text[] NOT NULL,
    roles text[] NOT NULL,
    secret_hash text NOT NULL,
    previous_hash text,
    previous_expires_at bigint,
    created_at bigint NOT NULL,
    expires_at bigint,
    rotated_at bigint,
    revoked_at bigint,
    last_used_at bigint,
    uses bigint NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX IF NOT EXISTS platform_api_keys_tenant ON ${s}.platform_api_keys (tenant_id, created_at DESC, id DESC)`,
];

const COLUMNS =
  'id, name, tenant_id, environment, scopes, roles, secret_hash, previous_hash, previous_expires_at, created_at, expires_at, rotated_at, revoked_at, last_used_at, uses';

export const statements = (s: string) => {
  const t = `${s}.platform_api_keys`;
  return {
    insert: `INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    get: `SELECT ${COLUMNS} FROM ${t} WHERE id = $1`,
    // $1 tenant (null: all), $2 include revoked, $3 cursor created_at (null: none), $4 cursor id, $5 limit
    list: `SELECT ${COLUMNS} FROM ${t}
      WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::boolean OR revoked_at IS NULL)
        AND ($3::bigint IS NULL OR (created_at, id) < ($3::bigint, $4::text))
      ORDER BY created_at DESC, id DESC LIMIT $5`,
    rotate: `UPDATE ${t} SET previous_hash = secret_hash, previous_expires_at = $3, secret_hash = $2, rotated_at = $4
      WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
    revoke: `UPDATE ${t} SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
    addUsage: `UPDATE ${t} AS k SET uses = k.uses + u.uses, last_used_at = GREATEST(COALESCE(k.last_used_at, 0), u.last)
      FROM (SELECT id, sum(uses)::bigint AS uses, max(last) AS last
            FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS x(id, uses, last) GROUP BY id) AS u
      WHERE k.id = u.id`,
  };
};

export function insertParams(r: ApiKeyRecord): unknown[] {
  return [
    r.id,
    r.name,
    r.tenantId ?? null,
    r.environment,
    r.scopes,
    r.roles,
    r.secretHash,
    r.previousHash ?? null,
    r.previousExpiresAt ?? null,
    r.createdAt,
    r.expiresAt ?? null,
    r.rotatedAt ?? null,
    r.revokedAt ?? null,
    r.lastUsedAt ?? null,
    r.uses,
  ];
}

type Row = Record<string, unknown>;

// bigint columns come back as strings from `pg` (and as bigint or number from PGlite)
const num = (v: unknown): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

export function recordOf(row: Row): ApiKeyRecord {
  const r: ApiKeyRecord = {
    id: row.id as string,
    name: row.name as string,
    environment: row.environment as string,
    scopes: row.scopes as string[],
    roles: row.roles as string[],
    secretHash: row.secret_hash as string,
    createdAt: num(row.created_at) as number,
    uses: num(row.uses) as number,
  };
  const optional: [keyof ApiKeyRecord, unknown][] = [
    ['tenantId', row.tenant_id ?? undefined],
    ['previousHash', row.previous_hash ?? undefined],
    ['previousExpiresAt', num(row.previous_expires_at)],
    ['expiresAt', num(row.expires_at)],
    ['rotatedAt', num(row.rotated_at)],
    ['revokedAt', num(row.revoked_at)],
    ['lastUsedAt', num(row.last_used_at)],
  ];
  for (const [k, v] of optional) if (v !== undefined) Object.assign(r, { [k]: v });
  return r;
}
