import { type Attributes, SpanKind } from '@opentelemetry/api';
import { traced } from './traced.js';

export interface GenAIRequest {
  /** `gen_ai.provider.name`: openai, anthropic, aws.bedrock, ... */
  provider: string;
  /** `gen_ai.operation.name`: chat, text_completion, embeddings, ... (default chat). */
  operation?: string;
  /** `gen_ai.request.model`. */
  model: string;
  attributes?: Attributes;
}

/** What a provider call reported; every field optional. */
export interface GenAIUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
}

type Loose = Record<string, unknown> | undefined;

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reads usage from an OpenAI (chat completions / responses) or Anthropic (messages)
 * response body.
 */
export function usageFromResponse(body: unknown): GenAIUsage {
  const b = body as Loose;
  if (!b || typeof b !== 'object') return {};
  const usage = b.usage as Loose;
  const details = (usage?.prompt_tokens_details ?? usage?.input_tokens_details) as Loose;
  const choices = Array.isArray(b.choices) ? (b.choices as Loose[]) : undefined;
  const finish = choices
    ? choices.map((c) => str(c?.finish_reason)).filter((r): r is string => !!r)
    : str(b.stop_reason)
      ? [b.stop_reason as string]
      : undefined;
  return {
    inputTokens: num(usage?.prompt_tokens) ?? num(usage?.input_tokens),
    outputTokens: num(usage?.completion_tokens) ?? num(usage?.output_tokens),
    cacheReadInputTokens: num(details?.cached_tokens) ?? num(usage?.cache_read_input_tokens),
    responseModel: str(b.model),
    responseId: str(b.id),
    finishReasons: finish && finish.length > 0 ? finish : undefined,
  };
}

/**
 * Runs an AI provider call in a CLIENT span named `{operation} {model}` with the
 * GenAI semantic-convention attributes; usage is read from the result (OpenAI and
 * Anthropic shapes) unless `usage` extracts it.
 *
 * @example
 * const reply = await genAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, () => client.chat.completions.create(req));
 */
export function genAiCall<T>(
  request: GenAIRequest,
  fn: () => Promise<T>,
  usage: (result: T) => GenAIUsage = usageFromResponse,
): Promise<T> {
  const operation = request.operation ?? 'chat';
  return traced(
    `${operation} ${request.model}`,
    async (span) => {
      if (span.isRecording()) {
        span.setAttribute('gen_ai.operation.name', operation);
        span.setAttribute('gen_ai.provider.name', request.provider);
        span.setAttribute('gen_ai.request.model', request.model);
        if (request.attributes) span.setAttributes(request.attributes);
      }
      const result = await fn();
      if (span.isRecording()) {
        let u: GenAIUsage = {};
        try {
          u = usage(result);
        } catch {
          // a failing extractor must not fail the call
        }
        if (u.inputTokens !== undefined)
          span.setAttribute('gen_ai.usage.input_tokens', u.inputTokens);
        if (u.outputTokens !== undefined)
          span.setAttribute('gen_ai.usage.output_tokens', u.outputTokens);
        if (u.cacheReadInputTokens !== undefined) {
          span.setAttribute('gen_ai.usage.cache_read.input_tokens', u.cacheReadInputTokens);
        }
        if (u.responseModel) span.setAttribute('gen_ai.response.model', u.responseModel);
        if (u.responseId) span.setAttribute('gen_ai.response.id', u.responseId);
        if (u.finishReasons) span.setAttribute('gen_ai.response.finish_reasons', u.finishReasons);
      }
      return result;
    },
    { kind: SpanKind.CLIENT, layer: 'ai' },
  );
}
