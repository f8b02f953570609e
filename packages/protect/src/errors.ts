import { ConflictError, PlatformError, ValidationError } from '@platform/errors';

/**
 * A ciphertext that is not one of ours, or that does not open: tampered bytes, another
 * tenant's key, or associated data (`table/id/field`) other than the one it was sealed with.
 * Never a crash: callers get this error, with `code` saying which.
 */
export class CiphertextError extends PlatformError {
  override name = 'CiphertextError';
  constructor(
    message: string,
    code: 'ciphertext_malformed' | 'ciphertext_rejected' | 'key_not_found' | 'tenant_mismatch',
    cause?: unknown,
  ) {
    // the stored data or the key store is wrong, not the caller's request: a 500 that is not shown
    super(message, { category: 'internal', code, ...(cause !== undefined && { cause }) });
  }
}

/**
 * The subject's data key was destroyed (crypto-shredded): what was sealed with it can never
 * be read again. 410 Gone.
 */
export class SubjectErasedError extends PlatformError {
  override name = 'SubjectErasedError';
  constructor(
    readonly tenantId: string,
    readonly subjectId: string,
  ) {
    super(`subject ${JSON.stringify(subjectId)} of tenant ${JSON.stringify(tenantId)} was erased`, {
      category: 'not_found',
      code: 'subject_erased',
      status: 410,
      details: { tenantId, subjectId },
    });
  }
}

/** Erasure refused: the tenant or subject is under legal hold. 409. */
export class LegalHoldError extends ConflictError {
  override name = 'LegalHoldError';
  constructor(
    readonly tenantId: string,
    readonly subjectId: string,
  ) {
    super(
      `subject ${JSON.stringify(subjectId)} of tenant ${JSON.stringify(tenantId)} is under legal hold: erasure is blocked until the hold is lifted`,
      { code: 'legal_hold', details: { tenantId, subjectId } },
    );
  }
}

/** A key provider that cannot wrap or unwrap (unknown KEK id, a wrapped key that does not open). */
export class KeyProviderError extends PlatformError {
  override name = 'KeyProviderError';
  constructor(message: string, cause?: unknown) {
    super(message, {
      category: 'internal',
      code: 'kek_unavailable',
      ...(cause !== undefined && { cause }),
    });
  }
}

/** Bad arguments to a protector call (an empty tenant id, an AAD that is not a string). 400. */
export function invalidInput(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path}: ${message}`, { errors: [{ path, message }] });
}
