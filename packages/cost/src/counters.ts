import { QuotaExceededError } from '@platform/errors';
import { type Budget, describeRule, type LimitRule } from './limits.js';
import { formatUsd } from './money.js';
import { type PeriodWindow, periodWindow } from './periods.js';
import type { CounterStep } from './store.js';

/** Who a call is made for. */
export interface Subject {
  tenant: string;
  user?: string;
  apiKey?: string;
}

/** One limit that applies to a call, with its counter key and period. */
export interface Applied {
  rule: LimitRule;
  subject?: string;
  key: string;
  window: PeriodWindow;
}

/** One day after its period ends a counter may go: late settlements still find it. */
const GRACE_MS = 86_400_000;

const enc = (s: string) => encodeURIComponent(s);

/** The Redis Cluster hash tag / memory group of a tenant: every counter of a tenant lives together. */
export function groupOf(tenant: string): string {
  return enc(tenant);
}

/** The limits of `budget` that apply to `subject` at `now`, each with its counter key. */
export function applicable(budget: Budget, subject: Subject, now: number): Applied[] {
  const out: Applied[] = [];
  for (const rule of budget.limits) {
    const id = rule.scope === 'tenant' ? '' : rule.scope === 'user' ? subject.user : subject.apiKey;
    if (id === undefined) continue;
    const window = periodWindow(rule.period, now, budget.timeZone);
    const who = rule.scope === 'tenant' ? 't' : `${rule.scope === 'user' ? 'u' : 'k'}:${enc(id)}`;
    out.push({
      rule,
      subject: rule.scope === 'tenant' ? undefined : id,
      key: `${who}:${rule.metric}:${rule.period}:${window.key}`,
      window,
    });
  }
  return out;
}

export interface Amounts {
  calls: number;
  tokens: number;
  nanoUsd: bigint;
}

function amountOf(rule: LimitRule, a: Amounts): number {
  if (rule.metric === 'calls') return a.calls;
  if (rule.metric === 'tokens') return a.tokens;
  return a.nanoUsd > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(a.nanoUsd);
}

/** Store steps for `applied` limits with `amounts`; several rules on one key add up once each. */
export function steps(applied: Applied[], amounts: Amounts): CounterStep[] {
  return applied.map((a) => ({
    key: a.key,
    amount: amountOf(a.rule, amounts),
    limit: a.rule.max,
    enforce: !a.rule.soft,
    expiresAt: a.window.end + GRACE_MS,
  }));
}

function show(rule: LimitRule, n: number): string {
  return rule.metric === 'money' ? `$${formatUsd(BigInt(n))}` : n.toLocaleString('en-US');
}

/** The 429 for a refused call: which limit, when it resets, in words a user understands. */
export function quotaError(applied: Applied, used: number, now: number): QuotaExceededError {
  const { rule, window } = applied;
  const resetAt = new Date(window.end).toISOString();
  return new QuotaExceededError(
    `This request would go over your ${describeRule(rule)} (${show(rule, used)} of ${show(rule, rule.max)} used). It resets at ${resetAt}.`,
    {
      code: 'quota_exceeded',
      retryAfter: Math.max(1, Math.ceil((window.end - now) / 1000)),
      details: {
        limit: {
          metric: rule.metric,
          period: rule.period,
          scope: rule.scope,
          max: rule.max,
          used,
          periodKey: window.key,
        },
        resetAt,
      },
    },
  );
}
