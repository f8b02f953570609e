import { counter, gauge, metricsEnabled } from '@platform/core';
import type { Usage } from '@platform/core/genai';
import type { CostAlert } from './alerts.js';
import type { Applied } from './counters.js';

const spend = counter({
  name: 'platform_cost_spend_usd_total',
  help: 'AI spend settled, in USD, by tenant and model.',
  labelNames: ['tenant', 'model'],
});
const tokens = counter({
  name: 'platform_cost_tokens_total',
  help: 'AI tokens settled by tenant, model and type (input incl. cache writes, output incl. reasoning, cached reads).',
  labelNames: ['tenant', 'model', 'type'],
});
const utilization = gauge({
  name: 'platform_cost_budget_utilization_ratio',
  help: 'Share of a tenant-scoped budget limit used in its current period (1 = at the limit), as last seen.',
  labelNames: ['tenant', 'budget'],
});
const refunded = counter({
  name: 'platform_cost_reservations_refunded_total',
  help: 'Reservations given back whole because the admitted call was not made (release).',
});
const alerts = counter({
  name: 'platform_cost_alerts_total',
  help: 'Budget threshold alerts fired, by tenant and threshold percent.',
  labelNames: ['tenant', 'threshold'],
});

const NANO_PER_USD = 1e9;

/** A settled call's spend and tokens. */
export function recordSettled(tenant: string, model: string, usage: Usage, nanoUsd: bigint): void {
  if (!metricsEnabled()) return;
  spend.inc({ tenant, model }, Number(nanoUsd) / NANO_PER_USD);
  const input = usage.inputTokens + usage.cacheWriteTokens;
  const output = usage.outputTokens + usage.reasoningTokens;
  if (input > 0) tokens.inc({ tenant, model, type: 'input' }, input);
  if (output > 0) tokens.inc({ tenant, model, type: 'output' }, output);
  if (usage.cacheReadTokens > 0)
    tokens.inc({ tenant, model, type: 'cached' }, usage.cacheReadTokens);
}

/** The counter values a store answered, as utilisation of each tenant-scoped limit. */
export function recordUtilization(
  tenant: string,
  applied: readonly Applied[],
  values: readonly number[],
): void {
  if (!metricsEnabled()) return;
  for (let i = 0; i < applied.length; i++) {
    const { rule } = applied[i] as Applied;
    if (rule.scope !== 'tenant' || rule.max <= 0) continue;
    utilization.set(
      { tenant, budget: `${rule.metric}_${rule.period}` },
      (values[i] ?? 0) / rule.max,
    );
  }
}

export function recordRefunded(): void {
  refunded.inc();
}

export function recordAlert(alert: CostAlert): void {
  alerts.inc({ tenant: alert.tenant, threshold: String(alert.threshold) });
}
