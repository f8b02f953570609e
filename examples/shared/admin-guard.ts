import type { GuardOptions } from '@platform/access';
import type { AuditTrail } from '@platform/audit';

/**
 * The admin routes' guard options: every refusal (401 without a session, 403 for another
 * role) lands in the audit trail as `access.refused`, with the actor, tenant and request id
 * of the refused request.
 */
export function auditedRefusals(trail: AuditTrail | undefined): GuardOptions {
  return {
    onRefused: (r) =>
      trail?.record({
        action: 'access.refused',
        outcome: 'failure',
        reason: `${r.code} ${r.requirement}`,
      }),
  };
}
