import { z } from 'zod';
import { usd } from './money.js';
import type { Period } from './periods.js';
import { assertTimeZone } from './periods.js';

export type Metric = 'calls' | 'tokens' | 'money';
export type Scope = 'tenant' | 'user' | 'apiKey';

const timeZone = z.string().refine((tz) => {
  try {
    assertTimeZone(tz);
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

const ruleSchema = z
  .strictObject({
    metric: z.enum(['calls', 'tokens', 'money']),
    period: z.enum(['day', 'month']),
    /** Calls or tokens as an integer; money as a USD decimal string (`"5.00"`). */
    max: z.union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string()]),
    scope: z.enum(['tenant', 'user', 'apiKey']).default('tenant'),
    /** Soft limits are counted and alerted but never refuse a call. */
    soft: z.boolean().default(false),
  })
  .transform((r, ctx) => {
    let max: number;
    if (r.metric === 'money') {
      if (typeof r.max !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['max'],
          message: 'money limits are USD strings like "5.00"',
        });
        return z.NEVER;
      }
      const nano = usd(r.max);
      if (nano > BigInt(Number.MAX_SAFE_INTEGER)) {
        ctx.addIssue({ code: 'custom', path: ['max'], message: 'must be at most 9,007,199 USD' });
        return z.NEVER;
      }
      max = Number(nano);
    } else if (typeof r.max !== 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: 'calls and tokens limits are integers',
      });
      return z.NEVER;
    } else max = r.max;
    return {
      metric: r.metric as Metric,
      period: r.period as Period,
      scope: r.scope as Scope,
      soft: r.soft,
      max,
    };
  });

export const budgetSchema = z.strictObject({
  /** IANA zone of the tenant's calendar days and months. Default UTC. */
  timeZone: timeZone.default('UTC'),
  limits: z.array(ruleSchema).max(50),
});

export type BudgetInput = z.input<typeof budgetSchema>;
export type Budget = z.output<typeof budgetSchema>;
export type LimitRule = Budget['limits'][number];

/** A description of a limit for people: `"money per day"`. */
export function describeRule(r: LimitRule): string {
  const what = r.metric === 'money' ? 'AI budget' : r.metric === 'calls' ? 'AI calls' : 'AI tokens';
  const who = r.scope === 'tenant' ? 'team' : r.scope === 'user' ? 'user' : 'API key';
  return `${who} ${what} per ${r.period}`;
}
