import { z } from 'zod';
import { usd } from './money.js';

const price = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = typeof v === 'number' ? String(v) : v;
  try {
    return usd(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'must be an ISO date (YYYY-MM-DD)');

/** One price period of one model; prices are USD per million tokens as decimal strings. */
export const priceEntrySchema = z.strictObject({
  /** First instant this price applies (UTC date or ISO timestamp). */
  effectiveFrom: isoDate,
  input: price,
  output: price,
  /** Cached input tokens read; defaults to the input price. */
  cacheRead: price.optional(),
  /** Input tokens written to the cache (Anthropic); defaults to the input price. */
  cacheWrite: price.optional(),
  /** Reasoning tokens; defaults to the output price. */
  reasoning: price.optional(),
});

export const modelSchema = z.strictObject({
  provider: z.string().min(1).max(50),
  /** Other names (dated snapshots) that bill as this model. */
  aliases: z.array(z.string().min(1).max(200)).max(50).default([]),
  prices: z.array(priceEntrySchema).min(1).max(100),
});

export const pricingFileSchema = z.strictObject({
  /** Version label of the table, stored with every usage record. */
  version: z.string().min(1).max(100),
  currency: z.literal('USD').default('USD'),
  models: z.record(z.string().min(1).max(200), modelSchema),
});

export type PricingFileInput = z.input<typeof pricingFileSchema>;
export type PricingFile = z.output<typeof pricingFileSchema>;
