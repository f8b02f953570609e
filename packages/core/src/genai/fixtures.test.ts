import { describe, expect, it } from 'vitest';
import {
  PROVIDER_FIXTURES,
  type ProviderFixture,
  streamedChunks,
} from '../../../../test/support/genai-fixtures.js';
import { usageAttributes } from './attributes.js';
import { responseOf } from './response.js';
import { streamUsage } from './stream.js';
import { normalizeUsage } from './usage.js';

const answerOf = (f: ProviderFixture) => ({
  model: f.expected.responseModel,
  ...(f.expected.finishReasons && { finishReasons: f.expected.finishReasons }),
});

describe('provider response bodies, as documented', () => {
  for (const f of PROVIDER_FIXTURES.filter((x) => x.body)) {
    it(`${f.name}: usage split for billing and semconv attributes`, () => {
      const usage = normalizeUsage(f.body);
      expect(usage).toEqual(f.expected.usage);
      expect(usageAttributes(usage!)).toEqual(f.expected.attributes);
      expect(responseOf(f.body)).toMatchObject(answerOf(f));
    });
  }

  for (const f of PROVIDER_FIXTURES.filter((x) => x.events)) {
    it(`${f.name}: the stream's final usage event gives the same counts`, () => {
      const tracker = streamUsage({ estimatedInputTokens: 1 });
      const chunks = streamedChunks(f);
      for (const c of chunks.slice(0, -1)) tracker.push(c);
      expect(tracker.result().estimated).toBe(true);
      tracker.push(chunks.at(-1));
      const { usage, estimated } = tracker.result();
      expect(estimated).toBe(false);
      expect(usage).toEqual(f.expected.usage);
      expect(usageAttributes(usage)).toEqual(f.expected.attributes);
      expect(tracker.response()).toMatchObject(answerOf(f));
    });
  }
});

describe('provider details beyond the fixtures', () => {
  it('Anthropic extended thinking: thinking_tokens are the reasoning part of output_tokens', () => {
    const usage = normalizeUsage({
      type: 'message',
      usage: {
        input_tokens: 40,
        output_tokens: 900,
        output_tokens_details: { thinking_tokens: 700 },
      },
    });
    expect(usage).toMatchObject({ outputTokens: 200, reasoningTokens: 700 });
    expect(usageAttributes(usage!)).toMatchObject({
      'gen_ai.usage.output_tokens': 900,
      'gen_ai.usage.reasoning.output_tokens': 700,
    });
  });

  it('Anthropic stream: null fields of message_delta leave message_start counts in place', () => {
    const t = streamUsage({ estimatedInputTokens: 1 });
    t.push({
      type: 'message_start',
      message: {
        id: 'msg_1',
        model: 'claude-sonnet-4-5-20250929',
        usage: { input_tokens: 30, cache_read_input_tokens: 70, output_tokens: 1 },
      },
    });
    t.push({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens' },
      usage: {
        input_tokens: null,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens: 64,
      },
    });
    t.push({ type: 'message_stop' });
    expect(t.result()).toEqual({
      usage: {
        inputTokens: 30,
        cacheReadTokens: 70,
        cacheWriteTokens: 0,
        outputTokens: 64,
        reasoningTokens: 0,
      },
      estimated: false,
    });
    expect(t.response()).toEqual({
      id: 'msg_1',
      model: 'claude-sonnet-4-5-20250929',
      finishReasons: ['max_tokens'],
    });
  });

  it('Responses stream ended by max_output_tokens: usage in response.incomplete', () => {
    const t = streamUsage({ estimatedInputTokens: 1 });
    t.push({
      type: 'response.incomplete',
      response: {
        id: 'resp_1',
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        usage: { input_tokens: 12, output_tokens: 100, total_tokens: 112 },
      },
    });
    expect(t.result()).toMatchObject({
      usage: { inputTokens: 12, outputTokens: 100 },
      estimated: false,
    });
  });
});
