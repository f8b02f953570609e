/** One API key as stored: never the secret, only its SHA-256. Times are epoch milliseconds. */
export interface ApiKeyRecord {
  /** The public key id (16 hex characters), part of the key itself. */
  id: string;
  name: string;
  tenantId?: string;
  environment: string;
  scopes: string[];
  roles: string[];
  /** Hex SHA-256 of the current secret. */
  secretHash: string;
  /** Hex SHA-256 of the secret before the last rotation, accepted until `previousExpiresAt`. */
  previousHash?: string;
  previousExpiresAt?: number;
  createdAt: number;
  expiresAt?: number;
  rotatedAt?: number;
  revokedAt?: number;
  lastUsedAt?: number;
  /** Verified requests, counted in batches (see `activityFlushMs`). */
  uses: number;
}

/** What a rotation writes: the current hash becomes the previous one, in one atomic step. */
export interface ApiKeyRotation {
  secretHash: string;
  /** Until when the old secret keeps working (== `at` for no grace). */
  previousExpiresAt: number;
  at: number;
}

/** Usage gathered since the last flush, per key. */
export interface ApiKeyUsage {
  id: string;
  uses: number;
  lastUsedAt: number;
}

export interface ApiKeyListQuery {
  tenantId?: string;
  /** Also list revoked keys. Default false. */
  includeRevoked?: boolean;
  /** Page size, 1..500 (default 100). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface ApiKeyPage {
  keys: ApiKeyRecord[];
  nextCursor?: string;
}

/**
 * Where API keys live. Every method is one atomic step: `rotate` swaps the hashes and
 * `addUsage` adds to the counters in the store, so concurrent processes never lose an update.
 */
export interface ApiKeyStore {
  readonly name: string;
  /** Stores a new key; rejects when the id is taken. */
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Newest first, ordered by (createdAt, id). */
  list(query: ApiKeyListQuery): Promise<ApiKeyPage>;
  /** Rotates a key that is not revoked; answers the updated record, or undefined. */
  rotate(id: string, rotation: ApiKeyRotation): Promise<ApiKeyRecord | undefined>;
  /** Revokes a key (idempotent: the first time stays); answers the record, or undefined. */
  revoke(id: string, at: number): Promise<ApiKeyRecord | undefined>;
  /** Adds `uses` and raises `lastUsedAt` (never lowers it) for each entry. */
  addUsage(usage: readonly ApiKeyUsage[]): Promise<void>;
}
