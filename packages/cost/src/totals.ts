import { ZERO_USAGE } from '@platform/core/genai';
import type { UsageTotals } from './store.js';

export const TOKEN_FIELDS = [
  'inputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
] as const;

/** Totals of no calls. */
export const noTotals = (): UsageTotals => ({ calls: 0, ...ZERO_USAGE, costNanoUsd: 0n });

/** Adds `r`'s calls, tokens and cost into `into`. */
export function addTotals(into: UsageTotals, r: UsageTotals): void {
  into.calls += r.calls;
  for (const f of TOKEN_FIELDS) into[f] += r[f];
  into.costNanoUsd += r.costNanoUsd;
}
