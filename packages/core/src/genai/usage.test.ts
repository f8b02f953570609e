import { describe, expect, it } from 'vitest';
import { usageAttributes } from './attributes.js';
import { streamUsage } from './stream.js';
import { normalizeUsage, totalTokens, type Usage } from './usage.js';

/** The whole split, every count not named being zero. */
const split = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...u,
});

/** Anthropic's `message_start`: 30 input, 70 cache reads and the 1 output token it opens with. */
const anthropicStart = (message: Record<string, unknown> = {}) => ({
  type: 'message_start',
  message: {
    ...message,
    usage: { input_tokens: 30, cache_read_input_tokens: 70, output_tokens: 1 },
  },
});

describe('normalizeUsage', () => {
  it('OpenAI chat: cached tokens come out of prompt_tokens, reasoning out of completion_tokens', () => {
    const u = normalizeUsage({
      object: 'chat.completion',
      usage: {
        prompt_tokens: 2006,
        completion_tokens: 300,
        total_tokens: 2306,
        prompt_tokens_details: { cached_tokens: 1920 },
        completion_tokens_details: { reasoning_tokens: 256 },
      },
    });
    expect(u).toEqual(
      split({ inputTokens: 86, cacheReadTokens: 1920, outputTokens: 44, reasoningTokens: 256 }),
    );
    expect(totalTokens(u as never)).toBe(2306);
  });

  it('OpenAI Responses API', () => {
    const u = normalizeUsage({
      object: 'response',
      usage: {
        input_tokens: 500,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 90,
        output_tokens_details: { reasoning_tokens: 64 },
        total_tokens: 590,
      },
    });
    expect(u).toEqual(
      split({ inputTokens: 400, cacheReadTokens: 100, outputTokens: 26, reasoningTokens: 64 }),
    );
  });

  it('Anthropic: input_tokens excludes cache reads and writes', () => {
    const u = normalizeUsage({
      type: 'message',
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 1000,
        cache_read_input_tokens: 3000,
        output_tokens: 50,
      },
    });
    expect(u).toEqual(
      split({ inputTokens: 20, cacheReadTokens: 3000, cacheWriteTokens: 1000, outputTokens: 50 }),
    );
  });

  it('ignores garbage and missing usage', () => {
    expect(normalizeUsage({})).toBeUndefined();
    expect(normalizeUsage(null)).toBeUndefined();
    expect(normalizeUsage({ usage: { prompt_tokens: -5, completion_tokens: 1.5 } })).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
    });
  });
});

describe('streamUsage', () => {
  it('OpenAI chat stream: usage on the final chunk', () => {
    const t = streamUsage({ estimatedInputTokens: 999 });
    t.push({ choices: [{ delta: { content: 'Hello ' } }] });
    t.push({ choices: [{ delta: { content: 'world' } }] });
    t.push({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 2 } });
    expect(t.result()).toEqual({
      usage: expect.objectContaining({ inputTokens: 12, outputTokens: 2 }),
      estimated: false,
    });
  });

  it('a stream cut before usage arrives yields a flagged estimate', () => {
    const t = streamUsage({ estimatedInputTokens: 40 });
    t.push({ choices: [{ delta: { content: 'x'.repeat(41) } }] });
    expect(t.result()).toEqual({
      usage: split({ inputTokens: 40, outputTokens: 11 }),
      estimated: true,
    });
  });

  it('Anthropic events: message_start input, message_delta cumulative output', () => {
    const t = streamUsage({ estimatedInputTokens: 1 });
    t.push(anthropicStart());
    t.push({ type: 'content_block_delta', delta: { type: 'text_delta', text: 'abcd' } });
    t.push({ type: 'message_delta', usage: { output_tokens: 15 } });
    expect(t.result().estimated).toBe(true);
    t.push({ type: 'message_stop' });
    expect(t.result()).toEqual({
      usage: split({ inputTokens: 30, cacheReadTokens: 70, outputTokens: 15 }),
      estimated: false,
    });
  });

  it('Responses API events: usage in response.completed', () => {
    const t = streamUsage({ estimatedInputTokens: 1 });
    t.push({ type: 'response.output_text.delta', delta: 'hi' });
    t.push({
      type: 'response.completed',
      response: { usage: { input_tokens: 9, output_tokens: 3, total_tokens: 12 } },
    });
    expect(t.result()).toMatchObject({
      usage: { inputTokens: 9, outputTokens: 3 },
      estimated: false,
    });
  });
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
    t.push(anthropicStart({ id: 'msg_1', model: 'claude-sonnet-4-5-20250929' }));
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
      usage: split({ inputTokens: 30, cacheReadTokens: 70, outputTokens: 64 }),
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
