import { randomUUID } from 'node:crypto';
import { getContext } from '@platform/core';
import { invalidInput } from '../errors.js';
import type { OpenedFields } from './fields.js';

/** What `sealAuditInput` needs of a protector. */
interface Sealer {
  encryptFields<T>(
    value: T,
    c: { tenantId: string; subjectId?: string; aad: string; paths: readonly string[] },
  ): Promise<T>;
}
interface Opener {
  decryptFields<T>(
    value: T,
    c: { tenantId: string; aad: string; paths?: readonly string[] },
  ): Promise<OpenedFields<T>>;
}

/** The associated data of an audit event's fields: `audit/<event id>`, then `/<path>` per field. */
export const auditAad = (eventId: string) => `audit/${eventId}`;

/**
 * Seals an audit input's personal fields (`metadata.email`, `changes.after.name`, …) with the
 * subject's key before `audit.record()`. It gives the input an id (the event id the fields
 * are bound to) and a tenant (from the request context if absent). The chain then commits
 * to the ciphertext, so erasing the subject later leaves `verify()` passing.
 *
 * @example
 * audit.record(await sealAuditInput(protect, { action: 'user.update', metadata: { email } }, { subjectId: 'u1', paths: ['metadata.email'] }));
 */
export async function sealAuditInput<T extends { action: string; id?: string; tenantId?: string }>(
  protector: Sealer,
  input: T,
  options: { subjectId?: string; paths: readonly string[] },
): Promise<T & { id: string; tenantId: string }> {
  const tenantId = input.tenantId ?? getContext()?.tenantId;
  if (!tenantId)
    throw invalidInput(
      'tenantId',
      'needed to pick the key: set it on the input or in the request context',
    );
  const withIds = { ...input, id: input.id ?? randomUUID(), tenantId };
  return protector.encryptFields(withIds, {
    tenantId,
    subjectId: options.subjectId,
    aad: auditAad(withIds.id),
    paths: options.paths,
  });
}

/** Opens the sealed fields of a stored audit event; an erased subject's fields read `[ERASED]`. */
export function openAuditEvent<T extends { id: string; tenantId: string }>(
  protector: Opener,
  event: T,
): Promise<OpenedFields<T>> {
  return protector.decryptFields(event, { tenantId: event.tenantId, aad: auditAad(event.id) });
}
