import { ConfigError } from '@platform/core';
import { fromAnthropic, fromOpenAIChat, ZERO_USAGE } from '@platform/core/genai';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING } from './default-pricing.js';
import { loadPricing, pricingTable, UnknownModelError } from './pricing.js';

const day = (s: string) => Date.parse(`${s}T12:00:00Z`);

describe('pricingTable', () => {
  it('ships a default table of OpenAI and Anthropic models', () => {
    const t = pricingTable();
    const p = t.price('gpt-4o-mini-2024-07-18', day('2026-01-01'));
    expect(p).toMatchObject({
      model: 'gpt-4o-mini',
      provider: 'openai',
      input: 150_000_000n,
      cacheRead: 75_000_000n,
    });
    const c = t.price('claude-sonnet-4-5', day('2026-01-01'));
    expect(c).toMatchObject({
      provider: 'anthropic',
      input: 3_000_000_000n,
      cacheWrite: 3_750_000_000n,
      cacheRead: 300_000_000n,
    });
    expect(Object.keys(DEFAULT_PRICING.models).length).toBeGreaterThan(10);
  });

  it('applies a price change from its effective date and names the version used', () => {
    const t = pricingTable();
    const before = t.price('o3', day('2025-06-09'));
    const after = t.price('o3', day('2025-06-10'));
    expect(before.input).toBe(10_000_000_000n);
    expect(after.input).toBe(2_000_000_000n);
    expect(before.version).toBe('2025-11-01:o3@2025-04-16');
    expect(after.version).toBe('2025-11-01:o3@2025-06-10');
    const usage = { ...ZERO_USAGE, inputTokens: 1000, outputTokens: 1000 };
    expect(t.cost(usage, before)).toBe(50_000_000n);
    expect(t.cost(usage, after)).toBe(10_000_000n);
  });

  it('fails closed on an unknown model, or bills it as a named model when configured', () => {
    expect(() => pricingTable().price('gpt-99', day('2026-01-01'))).toThrow(UnknownModelError);
    try {
      pricingTable().price('gpt-99', day('2026-01-01'));
    } catch (e) {
      expect(e).toMatchObject({ status: 400, code: 'unknown_model' });
    }
    const lenient = pricingTable(undefined, { unknownModel: { billAs: 'gpt-4o' } });
    const p = lenient.price('gpt-99', day('2026-01-01'));
    expect(p.input).toBe(2_500_000_000n);
    expect(p.version).toContain('~unknown:gpt-99');
    expect(() => pricingTable().price('gpt-4o', day('2020-01-01'))).toThrow(UnknownModelError);
  });

  it('prices cached tokens for both providers', () => {
    const t = pricingTable();
    const at = day('2026-01-01');
    // OpenAI: 1000 prompt tokens of which 800 cached.
    const openai = fromOpenAIChat({
      prompt_tokens: 1000,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 800 },
    });
    expect(t.cost(openai, t.price('gpt-4o', at))).toBe(
      200n * 2500n + 800n * 1250n + 100n * 10_000n,
    );
    // Anthropic: input_tokens excludes the 800 read and 300 written.
    const anthropic = fromAnthropic({
      input_tokens: 200,
      cache_read_input_tokens: 800,
      cache_creation_input_tokens: 300,
      output_tokens: 100,
    });
    expect(t.cost(anthropic, t.price('claude-sonnet-4-5', at))).toBe(
      200n * 3000n + 800n * 300n + 300n * 3750n + 100n * 15_000n,
    );
  });

  it('loads JSON and YAML files and names bad fields', () => {
    const yaml = `
version: acme-2026
models:
  house-model:
    provider: self
    prices:
      - { effectiveFrom: 2026-01-01, input: "0.5", output: "1.5", reasoning: "3" }
`;
    const t = pricingTable(loadPricing(yaml));
    expect(t.price('house-model', day('2026-02-01'))).toMatchObject({
      reasoning: 3_000_000_000n,
      cacheRead: 500_000_000n,
    });
    const json = JSON.stringify({
      version: 'x',
      models: {
        m: { provider: 'p', prices: [{ effectiveFrom: '2026-01-01', input: '1', output: '2' }] },
      },
    });
    expect(pricingTable(loadPricing(json)).has('m')).toBe(true);
    expect(() =>
      pricingTable({
        version: 'x',
        models: {
          m: { provider: 'p', prices: [{ effectiveFrom: 'soon', input: 'free', output: '1' }] },
        },
      }),
    ).toThrow(ConfigError);
    try {
      pricingTable({
        version: 'x',
        models: {
          m: {
            provider: 'p',
            prices: [{ effectiveFrom: '2026-01-01', input: 'free', output: '1' }],
          },
        },
      });
    } catch (e) {
      expect((e as Error).message).toContain('models.m.prices.0.input');
    }
  });
});
