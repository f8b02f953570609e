import type { Attributes } from '@opentelemetry/api';
import type { GenAiResponse } from './response.js';
import { inputTotal, outputTotal, type Usage } from './usage.js';

/** One AI provider call, as the GenAI semantic conventions name it. */
export interface GenAiRequest {
  /** `gen_ai.provider.name`: openai, anthropic, aws.bedrock, ... */
  provider: string;
  /** `gen_ai.request.model`. */
  model: string;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings, ... (default chat). */
  operation?: string;
  /** `gen_ai.request.max_tokens`. */
  maxTokens?: number;
  /** More attributes for the span. */
  attributes?: Attributes;
}

/** The attributes a GenAI client span starts with. */
export function requestAttributes(r: GenAiRequest): Attributes {
  const a: Attributes = {
    'gen_ai.operation.name': r.operation ?? 'chat',
    'gen_ai.provider.name': r.provider,
    'gen_ai.request.model': r.model,
  };
  if (r.maxTokens !== undefined) a['gen_ai.request.max_tokens'] = r.maxTokens;
  return { ...a, ...r.attributes };
}

/**
 * The `gen_ai.usage.*` attributes of a usage. `input_tokens` counts every input token, cache
 * reads and writes included, and `output_tokens` every output token, reasoning included, as
 * the semantic conventions require whatever the provider's own split (Anthropic reports its
 * cache tokens beside `input_tokens`, OpenAI inside). The parts are only set when not zero.
 */
export function usageAttributes(u: Usage): Attributes {
  const a: Attributes = {
    'gen_ai.usage.input_tokens': inputTotal(u),
    'gen_ai.usage.output_tokens': outputTotal(u),
  };
  if (u.cacheReadTokens > 0) a['gen_ai.usage.cache_read.input_tokens'] = u.cacheReadTokens;
  if (u.cacheWriteTokens > 0) a['gen_ai.usage.cache_creation.input_tokens'] = u.cacheWriteTokens;
  if (u.reasoningTokens > 0) a['gen_ai.usage.reasoning.output_tokens'] = u.reasoningTokens;
  return a;
}

/** The `gen_ai.response.*` attributes of what the provider said about its answer. */
export function responseAttributes(r: GenAiResponse): Attributes {
  const a: Attributes = {};
  if (r.id) a['gen_ai.response.id'] = r.id;
  if (r.model) a['gen_ai.response.model'] = r.model;
  if (r.finishReasons && r.finishReasons.length > 0) {
    a['gen_ai.response.finish_reasons'] = r.finishReasons;
  }
  return a;
}
