import { formatUsd, usd } from './money.js';
import type { PricingFileInput } from './pricing-schema.js';

const openai = (effectiveFrom: string, input: string, cacheRead: string, output: string) => ({
  effectiveFrom,
  input,
  cacheRead,
  output,
});
const anthropic = (effectiveFrom: string, input: string, output: string) => ({
  effectiveFrom,
  input,
  output,
  // Anthropic bills 5-minute cache writes at 1.25x input and cache reads at 0.1x input.
  cacheWrite: formatUsd((usd(input) * 5n) / 4n, 9),
  cacheRead: formatUsd(usd(input) / 10n, 9),
});

/**
 * Published list prices (USD per million tokens) of current OpenAI and Anthropic models.
 * Replace or extend it with your negotiated prices: `pricingTable(yourFile)`.
 */
export const DEFAULT_PRICING: PricingFileInput = {
  version: '2025-11-01',
  currency: 'USD',
  models: {
    'gpt-5': { provider: 'openai', prices: [openai('2025-08-07', '1.25', '0.125', '10.00')] },
    'gpt-5-mini': { provider: 'openai', prices: [openai('2025-08-07', '0.25', '0.025', '2.00')] },
    'gpt-5-nano': { provider: 'openai', prices: [openai('2025-08-07', '0.05', '0.005', '0.40')] },
    'gpt-4.1': { provider: 'openai', prices: [openai('2025-04-14', '2.00', '0.50', '8.00')] },
    'gpt-4.1-mini': { provider: 'openai', prices: [openai('2025-04-14', '0.40', '0.10', '1.60')] },
    'gpt-4.1-nano': { provider: 'openai', prices: [openai('2025-04-14', '0.10', '0.025', '0.40')] },
    'gpt-4o': {
      provider: 'openai',
      aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
      prices: [openai('2024-08-06', '2.50', '1.25', '10.00')],
    },
    'gpt-4o-mini': {
      provider: 'openai',
      aliases: ['gpt-4o-mini-2024-07-18'],
      prices: [openai('2024-07-18', '0.15', '0.075', '0.60')],
    },
    o3: {
      provider: 'openai',
      aliases: ['o3-2025-04-16'],
      prices: [
        openai('2025-04-16', '10.00', '2.50', '40.00'),
        openai('2025-06-10', '2.00', '0.50', '8.00'),
      ],
    },
    'o4-mini': {
      provider: 'openai',
      aliases: ['o4-mini-2025-04-16'],
      prices: [openai('2025-04-16', '1.10', '0.275', '4.40')],
    },
    'claude-opus-4-5': {
      provider: 'anthropic',
      aliases: ['claude-opus-4-5-20251101'],
      prices: [anthropic('2025-11-24', '5.00', '25.00')],
    },
    'claude-opus-4-1': {
      provider: 'anthropic',
      aliases: ['claude-opus-4-1-20250805'],
      prices: [anthropic('2025-08-05', '15.00', '75.00')],
    },
    'claude-sonnet-4-5': {
      provider: 'anthropic',
      aliases: ['claude-sonnet-4-5-20250929'],
      prices: [anthropic('2025-09-29', '3.00', '15.00')],
    },
    'claude-sonnet-4': {
      provider: 'anthropic',
      aliases: ['claude-sonnet-4-20250514'],
      prices: [anthropic('2025-05-14', '3.00', '15.00')],
    },
    'claude-haiku-4-5': {
      provider: 'anthropic',
      aliases: ['claude-haiku-4-5-20251001'],
      prices: [anthropic('2025-10-01', '1.00', '5.00')],
    },
    'claude-3-5-haiku': {
      provider: 'anthropic',
      aliases: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'],
      prices: [anthropic('2024-10-22', '0.80', '4.00')],
    },
  },
};
