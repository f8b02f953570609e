import { createHmac } from 'node:crypto';
import { parseOptions } from '@platform/core';
import { type EraseRequest, type EraseResult, eraser } from './erasure.js';
import { CiphertextError, invalidInput, SubjectErasedError } from './errors.js';
import { type OpenedFields, openFields, sealFields } from './fields/fields.js';
import { openEnvelope, parseEnvelope, sealBytes } from './format/envelope.js';
import { keyring, type RewrapResult } from './keyring/keyring.js';
import { openFailed } from './metrics.js';
import { type FieldProtectorOptions, protectorSchema } from './options.js';
import type { DataKeyRecord } from './store.js';

/** Whose key seals a value, and what it is bound to. */
export interface SealContext {
  tenantId: string;
  /** Seal with this subject's own key, so `erase({ tenantId, subjectId })` makes it unreadable. */
  subjectId?: string;
  /** Associated data: where the value lives (`users/42/email`). The same text is needed to open it. */
  aad: string;
}

export interface OpenContext {
  /** The tenant the value must belong to: another tenant's ciphertext is refused. */
  tenantId: string;
  aad: string;
}

export interface FieldProtector {
  encrypt(value: unknown, context: SealContext): Promise<string>;
  decrypt<T = unknown>(sealed: string, context: OpenContext): Promise<T>;
  /** A copy with the fields at `paths` sealed; each bound to `aad/<path>`. */
  encryptFields<T>(value: T, context: SealContext & { paths: readonly string[] }): Promise<T>;
  /** A copy with sealed fields opened (those at `paths`, or all); an erased subject's read `[ERASED]`. */
  decryptFields<T>(
    value: T,
    context: OpenContext & { paths?: readonly string[] },
  ): Promise<OpenedFields<T>>;
  /** A keyed blind index of `value` for equality search on `field`: HMAC-SHA256 under the tenant's index key, truncated. */
  blindIndex(value: string, context: { tenantId: string; field: string }): Promise<string>;
  /** Starts a new data key version for a tenant or subject; older versions still decrypt. */
  rotate(scope: { tenantId: string; subjectId?: string }): Promise<DataKeyRecord>;
  /** Re-wraps data keys under the provider's current KEK (after a KEK rotation); ciphertext is not touched. */
  rewrap(filter?: { tenantId?: string }): Promise<RewrapResult>;
  /** Crypto-shreds a subject: destroys their data key; refused under legal hold; audited. */
  erase(request: EraseRequest): Promise<EraseResult>;
}

const ID_MAX = 256;
function checkId(value: unknown, path: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string' || value.length === 0 || value.length > ID_MAX)
    throw invalidInput(path, `must be a string of 1..${ID_MAX} characters`);
}
function checkAad(aad: unknown): void {
  if (typeof aad !== 'string' || aad.length > 1024)
    throw invalidInput('aad', 'must be a string of at most 1024 characters');
}

/**
 * Field-level envelope encryption: AES-256-GCM with a data key per tenant (or per subject),
 * each wrapped by a key-encryption key from `keys` and kept in `store`. Values are sealed as
 * JSON into a compact, versioned text (`pe1.…`) carrying the key id and version; associated
 * data binds each value to its row and field.
 *
 * @example
 * const protect = fieldProtector({ keys: memoryKeyProvider(), store: memoryKeyStore() });
 * const sealed = await protect.encrypt('ada@example.com', { tenantId: 'acme', subjectId: 'u1', aad: 'users/u1/email' });
 * const email = await protect.decrypt<string>(sealed, { tenantId: 'acme', aad: 'users/u1/email' });
 */
export function fieldProtector(options: FieldProtectorOptions): FieldProtector {
  const o = parseOptions(protectorSchema, options, 'fieldProtector');
  const ring = keyring({
    provider: o.keys,
    store: o.store,
    cacheTtlMs: o.cache.ttlMs,
    cacheMax: o.cache.max,
  });
  const erase = eraser(ring, o.holds, o.audit);

  const seal = async (value: unknown, c: SealContext) => {
    checkId(c?.tenantId, 'tenantId');
    checkId(c.subjectId, 'subjectId', true);
    checkAad(c.aad);
    const json = JSON.stringify(value);
    if (json === undefined)
      throw invalidInput('value', 'must be JSON-serializable (not undefined or a function)');
    const { key, record } = await ring.current({
      tenantId: c.tenantId,
      subjectId: c.subjectId,
      purpose: 'data',
    });
    return sealBytes({
      keyId: record.keyId,
      version: record.version,
      key,
      plaintext: Buffer.from(json, 'utf8'),
      aad: c.aad,
    });
  };

  const open = async (sealed: string, c: OpenContext) => {
    checkId(c?.tenantId, 'tenantId');
    checkAad(c.aad);
    try {
      const envelope = parseEnvelope(sealed);
      const { key } = await ring.byRef(envelope, c.tenantId);
      return JSON.parse(openEnvelope(envelope, key, c.aad).toString('utf8')) as unknown;
    } catch (error) {
      if (error instanceof CiphertextError || error instanceof SubjectErasedError)
        openFailed(error.code);
      throw error;
    }
  };

  return {
    encrypt: seal,
    decrypt: async <T>(sealed: string, c: OpenContext) => (await open(sealed, c)) as T,
    encryptFields: (value, c) =>
      sealFields(value, c.paths, c.aad, (v, aad) => seal(v, { ...c, aad })),
    decryptFields: (value, c) =>
      openFields(value, c.aad, (s, aad) => open(s, { ...c, aad }), c.paths),
    async blindIndex(value, c) {
      checkId(c?.tenantId, 'tenantId');
      checkId(c.field, 'field');
      if (typeof value !== 'string')
        throw invalidInput('value', 'must be a string (normalize it first)');
      const { key } = await ring.current({ tenantId: c.tenantId, purpose: 'index' });
      // the field name is hashed in, so one value in two columns gives two unrelated indexes
      return createHmac('sha256', key)
        .update(`${c.field}\u0000${value}`)
        .digest()
        .subarray(0, o.blindIndexBytes)
        .toString('base64url');
    },
    async rotate(scope) {
      checkId(scope?.tenantId, 'tenantId');
      checkId(scope.subjectId, 'subjectId', true);
      return ring.rotate({ tenantId: scope.tenantId, subjectId: scope.subjectId, purpose: 'data' });
    },
    rewrap: (filter) => ring.rewrap(filter),
    async erase(request) {
      checkId(request?.tenantId, 'tenantId');
      checkId(request.subjectId, 'subjectId');
      return erase(request);
    },
  };
}
