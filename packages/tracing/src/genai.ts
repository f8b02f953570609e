import type { Attributes } from '@opentelemetry/api';
import {
  genAiCall as coreGenAiCall,
  type GenAiReading,
  type GenAiResponse,
  inputTotal,
  normalizeUsage,
  outputTotal,
  responseOf,
  type Usage,
} from '@platform/core/genai';
import { tracer } from './traced.js';

export interface GenAIRequest {
  /** `gen_ai.provider.name`: openai, anthropic, aws.bedrock, ... */
  provider: string;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings, ... (default chat). */
  operation?: string;
  /** `gen_ai.request.model`. */
  model: string;
  /** `gen_ai.request.max_tokens`. */
  maxTokens?: number;
  attributes?: Attributes;
}

/**
 * What a provider call reported, in the terms of the GenAI semantic conventions; every field
 * optional. `inputTokens` counts every input token, cache reads and writes included, and
 * `outputTokens` every output token, reasoning included, whatever the provider's own split.
 */
export interface GenAIUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  reasoningOutputTokens?: number;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
}

const positive = (n: number): number | undefined => (n > 0 ? n : undefined);

function toGenAIUsage(usage: Usage | undefined, response: GenAiResponse): GenAIUsage {
  const out: GenAIUsage = usage
    ? {
        inputTokens: inputTotal(usage),
        outputTokens: outputTotal(usage),
        cacheReadInputTokens: positive(usage.cacheReadTokens),
        cacheCreationInputTokens: positive(usage.cacheWriteTokens),
        reasoningOutputTokens: positive(usage.reasoningTokens),
      }
    : {};
  const all: GenAIUsage = {
    ...out,
    responseModel: response.model,
    responseId: response.id,
    finishReasons: response.finishReasons,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

const count = (n: number | undefined): number => (n !== undefined && n > 0 ? n : 0);

/** Back from the semantic-convention totals to core's split usage. */
function fromGenAIUsage(u: GenAIUsage): GenAiReading {
  const cacheRead = count(u.cacheReadInputTokens);
  const cacheWrite = count(u.cacheCreationInputTokens);
  const reasoning = count(u.reasoningOutputTokens);
  const known = u.inputTokens !== undefined || u.outputTokens !== undefined;
  return {
    usage: known
      ? {
          inputTokens: Math.max(0, count(u.inputTokens) - cacheRead - cacheWrite),
          cacheReadTokens: cacheRead,
          cacheWriteTokens: cacheWrite,
          outputTokens: Math.max(0, count(u.outputTokens) - reasoning),
          reasoningTokens: reasoning,
        }
      : undefined,
    response: { model: u.responseModel, id: u.responseId, finishReasons: u.finishReasons },
  };
}

/**
 * Reads usage from an OpenAI (chat completions / responses) or Anthropic (messages)
 * response body, with @platform/core/genai's parser (the one @platform/cost bills with).
 */
export function usageFromResponse(body: unknown): GenAIUsage {
  return toGenAIUsage(normalizeUsage(body), responseOf(body));
}

/**
 * Runs an AI provider call in a CLIENT span named `{operation} {model}` with the GenAI
 * semantic-convention attributes (core's `genAiCall` with this package's tracer); usage is
 * read from the result (OpenAI and Anthropic shapes, streams included) unless `usage`
 * extracts it.
 *
 * @example
 * const reply = await genAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, () => client.chat.completions.create(req));
 */
export function genAiCall<T>(
  request: GenAIRequest,
  fn: () => Promise<T>,
  usage?: (result: T) => GenAIUsage,
): Promise<T> {
  return coreGenAiCall(
    { ...request, attributes: { 'code.layer': 'ai', ...request.attributes } },
    fn,
    {
      tracer: tracer(),
      read: usage && ((result: T) => fromGenAIUsage(usage(result))),
    },
  );
}
