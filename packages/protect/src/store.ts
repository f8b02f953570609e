/** What a data key is for: sealing fields, or keying a tenant's blind indexes. */
export type KeyPurpose = 'data' | 'index';

/** Whose key: a tenant's own (no subject) or one subject's within a tenant. */
export interface KeyScope {
  tenantId: string;
  /** Absent for the tenant's key. */
  subjectId?: string;
  purpose: KeyPurpose;
}

/** One version of a data key as stored: wrapped, never in plaintext. */
export interface DataKeyRecord extends KeyScope {
  /** Opaque id, the same for every version of a scope; carried in each ciphertext. */
  keyId: string;
  version: number;
  /** Absent once destroyed. */
  kekId?: string;
  wrapped?: string;
  createdAt: string;
  /** Set when the key was destroyed (crypto-shredded): `wrapped` is gone for good. */
  destroyedAt?: string;
}

export type NewDataKey = Omit<DataKeyRecord, 'createdAt' | 'destroyedAt'> & {
  kekId: string;
  wrapped: string;
};

/** A page of keys in `(keyId, version)` order, for `rewrap`. */
export interface KeyListQuery {
  tenantId?: string;
  /** Only keys wrapped by a KEK other than this one. */
  kekIdNot?: string;
  after?: { keyId: string; version: number };
  limit: number;
}

/**
 * Where wrapped data keys live. `create` is the atomic step: it inserts a version only if
 * that scope has no such version yet and was never destroyed, and answers the stored row
 * either way (the winner of a race, or the tombstone). `destroy` removes the wrapped key
 * material of every version of a scope in one step and leaves a tombstone, so the scope can
 * never get a key again.
 */
export interface DataKeyStore {
  create(key: NewDataKey): Promise<DataKeyRecord>;
  /** The scope's highest version (a tombstone when destroyed), or undefined. */
  latest(scope: KeyScope): Promise<DataKeyRecord | undefined>;
  get(keyId: string, version: number): Promise<DataKeyRecord | undefined>;
  list(query: KeyListQuery): Promise<DataKeyRecord[]>;
  /** Replaces the wrapping if it is still by `fromKekId` (compare-and-set); true when replaced. */
  rewrap(
    ref: { keyId: string; version: number },
    fromKekId: string,
    next: { kekId: string; wrapped: string },
  ): Promise<boolean>;
  /** Destroys every version of a scope; answers how many versions lost their key material. */
  destroy(scope: KeyScope): Promise<number>;
  ping?(): Promise<void>;
  close?(): Promise<void>;
}

export const scopeKey = (s: KeyScope) =>
  `${s.tenantId}\u0000${s.purpose}\u0000${s.subjectId ?? ''}`;
