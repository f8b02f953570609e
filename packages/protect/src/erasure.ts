import { LegalHoldError } from './errors.js';
import type { Keyring } from './keyring/keyring.js';
import { erasureDone } from './metrics.js';
import type { AuditSink, LegalHolds } from './options.js';

export interface EraseRequest {
  tenantId: string;
  subjectId: string;
  /** Why (a ticket, "GDPR Art. 17 request"): goes into the audit event. */
  reason?: string;
}

export interface EraseResult {
  tenantId: string;
  subjectId: string;
  /** Key versions whose material was destroyed (0 when the subject had no key, or was erased before). */
  destroyed: number;
  erasedAt: string;
}

async function onHold(holds: LegalHolds, tenantId: string, subjectId: string): Promise<boolean> {
  if (typeof holds === 'function') return (await holds({ tenantId, subjectId })) === true;
  return holds.some((h) =>
    typeof h === 'string'
      ? h === tenantId
      : h.tenantId === tenantId && (h.subjectId === undefined || h.subjectId === subjectId),
  );
}

/**
 * Erasure by crypto-shredding: the subject's data key (every version) is destroyed in the key
 * store, so every value sealed for the subject, wherever it was copied, can no longer be
 * opened; the sealed bytes themselves stay, so hash chains over them still verify. Refused
 * under legal hold. Both outcomes are recorded as `privacy.subject.erase`.
 */
export function eraser(ring: Keyring, holds: LegalHolds, audit: AuditSink | undefined) {
  const record = (
    r: EraseRequest,
    outcome: 'success' | 'failure',
    metadata: Record<string, unknown>,
  ) =>
    audit?.record({
      action: 'privacy.subject.erase',
      crud: 'd',
      outcome,
      severity: 'high',
      tenantId: r.tenantId,
      targets: [{ type: 'subject', id: r.subjectId }],
      ...(r.reason !== undefined && { reason: r.reason }),
      metadata: { method: 'crypto-shredding', ...metadata },
    });

  return async (r: EraseRequest): Promise<EraseResult> => {
    if (await onHold(holds, r.tenantId, r.subjectId)) {
      erasureDone('legal_hold');
      record(r, 'failure', { refused: 'legal-hold' });
      throw new LegalHoldError(r.tenantId, r.subjectId);
    }
    const destroyed = await ring.destroy({
      tenantId: r.tenantId,
      subjectId: r.subjectId,
      purpose: 'data',
    });
    const erasedAt = new Date().toISOString();
    erasureDone('erased');
    record(r, 'success', { keyVersionsDestroyed: destroyed, erasedAt });
    return { tenantId: r.tenantId, subjectId: r.subjectId, destroyed, erasedAt };
  };
}
