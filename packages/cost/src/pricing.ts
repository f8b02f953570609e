import { parseOptions } from '@platform/core';
import type { Usage } from '@platform/core/genai';
import { ValidationError } from '@platform/errors';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PRICING } from './default-pricing.js';
import { type PricingFile, type PricingFileInput, pricingFileSchema } from './pricing-schema.js';

/** The rates (nano-USD per million tokens) in force for one model at one instant. */
export interface Price {
  /** Canonical model name (aliases resolve to it). */
  model: string;
  provider: string;
  /** `<table version>:<model>@<effectiveFrom>`: stored with each usage record. */
  version: string;
  input: bigint;
  output: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
  reasoning: bigint;
}

/** Thrown when a model has no price and the table fails closed (the default). */
export class UnknownModelError extends ValidationError {
  override name = 'UnknownModelError';
  constructor(readonly model: string) {
    super(`No price is configured for model "${model}"`, {
      code: 'unknown_model',
      details: { model },
    });
  }
}

export interface PricingOptions {
  /**
   * What to do with a model the table does not know: `'reject'` (default: the call is
   * refused before it is made) or `{ billAs: 'gpt-4o' }` to bill it at a known model's price
   * (the usage record's price version says so).
   */
  unknownModel?: 'reject' | { billAs: string };
}

export interface PricingTable {
  readonly version: string;
  /** The price in force for `model` at `at` (epoch ms); throws UnknownModelError when none. */
  price(model: string, at: number): Price;
  /** Whether the table knows `model` (directly or by alias). */
  has(model: string): boolean;
  /** Exact cost of normalized usage, in nano-USD. */
  cost(usage: Usage, price: Price): bigint;
}

interface Entry {
  from: number;
  label: string;
  rates: Omit<Price, 'model' | 'provider' | 'version'>;
}

const optionsSchema = z.strictObject({
  unknownModel: z
    .union([z.literal('reject'), z.strictObject({ billAs: z.string().min(1) })])
    .default('reject'),
});

/**
 * A validated pricing table with effective dates. Without an argument it is the default
 * table of current OpenAI and Anthropic list prices.
 *
 * @example
 * const pricing = pricingTable(loadPricing(readFileSync('prices.yaml', 'utf8')));
 */
export function pricingTable(
  file: PricingFileInput = DEFAULT_PRICING,
  options: PricingOptions = {},
): PricingTable {
  const parsed: PricingFile = parseOptions(pricingFileSchema, file, 'pricing table');
  const opts = parseOptions(optionsSchema, options, 'pricingTable');
  const models = new Map<string, { provider: string; entries: Entry[] }>();
  const aliases = new Map<string, string>();
  for (const [name, m] of Object.entries(parsed.models)) {
    const entries = m.prices
      .map((p) => ({
        from: Date.parse(
          p.effectiveFrom.length === 10 ? `${p.effectiveFrom}T00:00:00Z` : p.effectiveFrom,
        ),
        label: p.effectiveFrom,
        rates: {
          input: p.input,
          output: p.output,
          cacheRead: p.cacheRead ?? p.input,
          cacheWrite: p.cacheWrite ?? p.input,
          reasoning: p.reasoning ?? p.output,
        },
      }))
      .sort((a, b) => a.from - b.from);
    models.set(name, { provider: m.provider, entries });
    for (const a of m.aliases) aliases.set(a, name);
  }
  if (typeof opts.unknownModel === 'object' && !models.has(opts.unknownModel.billAs)) {
    throw new TypeError(
      `pricingTable: unknownModel.billAs "${opts.unknownModel.billAs}" is not in the table`,
    );
  }

  const lookup = (model: string, at: number): Price | undefined => {
    const name = models.has(model) ? model : aliases.get(model);
    const m = name === undefined ? undefined : models.get(name);
    if (!m || name === undefined) return undefined;
    let chosen: Entry | undefined;
    for (const e of m.entries) if (e.from <= at) chosen = e;
    if (!chosen) return undefined;
    return {
      model: name,
      provider: m.provider,
      version: `${parsed.version}:${name}@${chosen.label}`,
      ...chosen.rates,
    };
  };

  return {
    version: parsed.version,
    has: (model) => models.has(model) || aliases.has(model),
    price(model, at) {
      const found = lookup(model, at);
      if (found) return found;
      if (typeof opts.unknownModel === 'object') {
        const fallback = lookup(opts.unknownModel.billAs, at);
        if (fallback)
          return { ...fallback, model, version: `${fallback.version}~unknown:${model}` };
      }
      throw new UnknownModelError(model);
    },
    cost(usage, p) {
      // One rounding (up, to the next nano-USD) per record, after summing exact products.
      const micro =
        p.input * BigInt(usage.inputTokens) +
        p.cacheRead * BigInt(usage.cacheReadTokens) +
        p.cacheWrite * BigInt(usage.cacheWriteTokens) +
        p.output * BigInt(usage.outputTokens) +
        p.reasoning * BigInt(usage.reasoningTokens);
      return (micro + 999_999n) / 1_000_000n;
    },
  };
}

/**
 * Parses a pricing file (JSON or YAML, told apart by its first character) into the input of
 * `pricingTable`. Validation happens in `pricingTable`, which names each bad field.
 */
export function loadPricing(text: string): PricingFileInput {
  const trimmed = text.trimStart();
  const data: unknown = trimmed.startsWith('{') ? JSON.parse(trimmed) : parseYaml(text);
  return data as PricingFileInput;
}
