import type { KeyObject } from 'node:crypto';
import type { AuditTrail, VerifyResult } from '@platform/audit';
import { type Collector, collected, type Finding, notCollected } from './types.js';

export interface AuditChainOptions {
  /** The host's audit trail; without it the collector answers "not collected". */
  trail?: Pick<AuditTrail, 'store' | 'verify'>;
  /** Extra public keys by key id that checkpoints may be signed with (older keys). */
  publicKeys?: Record<string, KeyObject>;
}

const COLUMNS = [
  'tenantId',
  'ok',
  'checked',
  'checkpoints',
  'lastSeq',
  'lastHash',
  'eventsInPeriod',
  'brokenAt',
  'kind',
  'detail',
  'notes',
] as const;

/**
 * Verifies each tenant's audit hash chain (`@platform/audit`'s verify: every link, every
 * signed checkpoint) and counts the events recorded in the period. A chain that does not
 * verify is a failed finding.
 *
 * @example
 * const chain = auditChain({ trail });
 */
export function auditChain(options: AuditChainOptions): Collector {
  return {
    id: 'audit-chain',
    title: 'Audit trail hash-chain verification',
    async collect(context) {
      const { trail } = options;
      if (!trail) return notCollected('no audit trail configured');
      const tenants = context.tenant ? [context.tenant] : await trail.store.tenants();
      if (tenants.length === 0) return notCollected('the audit store holds no tenant chain');
      const results: (VerifyResult & { eventsInPeriod: number })[] = [];
      for (const tenantId of tenants) {
        context.signal.throwIfAborted();
        const result = await trail.verify({
          tenantId,
          ...(options.publicKeys && { publicKeys: options.publicKeys }),
        });
        const events = await countEvents(trail, tenantId, context.period);
        results.push({ ...result, eventsInPeriod: events });
      }
      const findings: Finding[] = results.map((r) => ({
        ok: r.ok,
        detail: r.ok
          ? `${r.tenantId}: chain verifies (${r.checked} events, ${r.checkpoints} signed checkpoints, head seq ${r.lastSeq ?? 0})`
          : `${r.tenantId}: chain broken at seq ${r.brokenAt} (${r.kind}): ${r.detail}`,
      }));
      const broken = results.filter((r) => !r.ok).length;
      const summary = `${results.length} tenant chain(s) verified, ${broken} broken; ${results.reduce((s, r) => s + r.eventsInPeriod, 0)} event(s) in the period`;
      return collected(
        summary,
        [
          {
            name: 'audit-chain',
            json: { verifiedAt: new Date().toISOString(), results },
            table: {
              columns: COLUMNS,
              rows: results.map((r) => [
                r.tenantId,
                r.ok,
                r.checked,
                r.checkpoints,
                r.lastSeq,
                r.lastHash,
                r.eventsInPeriod,
                r.brokenAt,
                r.kind,
                r.detail,
                r.notes?.join(' '),
              ]),
            },
          },
        ],
        findings,
      );
    },
  };
}

async function countEvents(
  trail: Pick<AuditTrail, 'store'>,
  tenantId: string,
  period: { from: Date; to: Date },
): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await trail.store.query({
      tenantId,
      from: period.from,
      to: period.to,
      limit: 1000,
      cursor,
    });
    count += page.events.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
