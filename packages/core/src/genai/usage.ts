/**
 * The token usage of one AI call, split so that each token is counted once and billed at
 * exactly one rate: `inputTokens` are the uncached input (neither read from nor written to a
 * prompt cache); `outputTokens` exclude the reasoning tokens. The providers' own totals are
 * sums of these parts (see `inputTotal` and `outputTotal`).
 */
export interface Usage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Every input token, cached or not: OpenAI's `prompt_tokens`, `gen_ai.usage.input_tokens`. */
export function inputTotal(u: Usage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens;
}

/** Every output token, reasoning included: OpenAI's `completion_tokens`, `gen_ai.usage.output_tokens`. */
export function outputTotal(u: Usage): number {
  return u.outputTokens + u.reasoningTokens;
}

/** Every token of the call, whatever its rate. */
export function totalTokens(u: Usage): number {
  return inputTotal(u) + outputTotal(u);
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

function count(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0;
}

function details(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/**
 * OpenAI Chat Completions: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`;
 * `completion_tokens` includes `completion_tokens_details.reasoning_tokens`.
 */
export function fromOpenAIChat(usage: Obj): Usage {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const cached = Math.min(count(details(usage.prompt_tokens_details).cached_tokens), prompt);
  const reasoning = Math.min(
    count(details(usage.completion_tokens_details).reasoning_tokens),
    completion,
  );
  return {
    inputTokens: prompt - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: completion - reasoning,
    reasoningTokens: reasoning,
  };
}

/**
 * OpenAI Responses API: `input_tokens` includes `input_tokens_details.cached_tokens`;
 * `output_tokens` includes `output_tokens_details.reasoning_tokens`.
 */
export function fromOpenAIResponses(usage: Obj): Usage {
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cached = Math.min(count(details(usage.input_tokens_details).cached_tokens), input);
  const reasoning = Math.min(count(details(usage.output_tokens_details).reasoning_tokens), output);
  return {
    inputTokens: input - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: output - reasoning,
    reasoningTokens: reasoning,
  };
}

/**
 * Anthropic Messages: `input_tokens` excludes `cache_read_input_tokens` and
 * `cache_creation_input_tokens`, which come beside it; `output_tokens` includes the
 * extended-thinking tokens that `output_tokens_details.thinking_tokens` breaks out.
 */
export function fromAnthropic(usage: Obj): Usage {
  const output = count(usage.output_tokens);
  const thinking = Math.min(count(details(usage.output_tokens_details).thinking_tokens), output);
  return {
    inputTokens: count(usage.input_tokens),
    cacheReadTokens: count(usage.cache_read_input_tokens),
    cacheWriteTokens: count(usage.cache_creation_input_tokens),
    outputTokens: output - thinking,
    reasoningTokens: thinking,
  };
}

export type UsageShape = 'openai-chat' | 'openai-responses' | 'anthropic';

/**
 * Which provider shape a `usage` object has, or undefined when it has none we know. Both
 * OpenAI Responses and Anthropic say `input_tokens` and `output_tokens` (and
 * `output_tokens_details`); only OpenAI's has `total_tokens` and `input_tokens_details`.
 */
export function detectShape(usage: unknown): UsageShape | undefined {
  if (!isObj(usage)) return undefined;
  if ('prompt_tokens' in usage || 'completion_tokens' in usage) return 'openai-chat';
  if ('input_tokens_details' in usage || 'total_tokens' in usage) return 'openai-responses';
  if ('input_tokens' in usage || 'output_tokens' in usage) return 'anthropic';
  return undefined;
}

/** The shape a whole response body declares: Anthropic's `type: "message"`, OpenAI's `object`. */
function declaredShape(response: Obj): UsageShape | undefined {
  if (response.type === 'message') return 'anthropic';
  if (response.object === 'response') return 'openai-responses';
  if (response.object === 'chat.completion' || response.object === 'chat.completion.chunk')
    return 'openai-chat';
  return undefined;
}

/** Normalizes a provider's `usage` object itself (not the response around it). */
export function usageOf(usage: unknown, shape = detectShape(usage)): Usage | undefined {
  if (!isObj(usage)) return undefined;
  switch (shape) {
    case 'openai-chat':
      return fromOpenAIChat(usage);
    case 'openai-responses':
      return fromOpenAIResponses(usage);
    case 'anthropic':
      return fromAnthropic(usage);
    default:
      return undefined;
  }
}

/**
 * Normalizes the `usage` of an OpenAI (Chat or Responses) or Anthropic response, or
 * returns undefined when the response carries no usage.
 *
 * @example
 * const usage = normalizeUsage(await openai.chat.completions.create(req));
 */
export function normalizeUsage(response: unknown): Usage | undefined {
  if (!isObj(response) || !isObj(response.usage)) return undefined;
  return usageOf(response.usage, declaredShape(response) ?? detectShape(response.usage));
}
