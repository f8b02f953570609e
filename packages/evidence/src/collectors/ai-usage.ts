import type { LedgerStore } from '@platform/cost';
import { optionalPeer } from '../optional.js';
import { type Collector, collected, notCollected, periodDays } from './types.js';

export interface AiUsageOptions {
  /** The usage ledger of `@platform/cost` (its memory, PGlite or PostgreSQL store). */
  ledger?: LedgerStore;
}

const COLUMNS = [
  'period',
  'tenant',
  'model',
  'calls',
  'totalTokens',
  'costNanoUsd',
  'costUsd',
] as const;

/**
 * AI usage and cost by model (and tenant) over the period, from `@platform/cost`'s report
 * (exact nano-USD).
 *
 * @example
 * const usage = aiUsage({ ledger: costStore });
 */
export function aiUsage(options: AiUsageOptions): Collector {
  return {
    id: 'ai-usage',
    title: 'AI usage by model',
    async collect(context) {
      if (!options.ledger) return notCollected('no AI usage ledger configured');
      const costPackage = await optionalPeer('@platform/cost', () => import('@platform/cost'));
      if (!costPackage) return notCollected('@platform/cost is not installed');
      const { buildReport } = costPackage;
      const days = periodDays(context.period);
      const report = await buildReport(options.ledger, {
        ...(context.tenant !== undefined && { tenant: context.tenant }),
        ...days,
        granularity: 'month',
        groupBy: ['tenant', 'model'],
      });
      const models = new Set(report.rows.map((r) => r.model));
      return collected(
        `${report.totals.calls} call(s) on ${models.size} model(s), ${report.totals.totalTokens} tokens, USD ${report.totals.costUsd}`,
        [
          {
            name: 'ai-usage',
            json: report,
            table: {
              columns: COLUMNS,
              rows: report.rows.map((r) => [
                r.period,
                r.tenant,
                r.model,
                r.calls,
                r.totalTokens,
                r.costNanoUsd,
                r.costUsd,
              ]),
            },
          },
        ],
      );
    },
  };
}
