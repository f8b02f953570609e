/**
 * Token counts split so that each count is billed at exactly one rate. `inputTokens` are
 * uncached input; `outputTokens` exclude reasoning tokens (billed at the reasoning rate).
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

/** Every token of the call, whatever its rate. */
export function totalTokens(u: Usage): number {
  return (
    u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens + u.reasoningTokens
  );
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

function count(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : 0;
}

/** OpenAI Chat Completions: `prompt_tokens` includes `cached_tokens`; `completion_tokens` includes reasoning. */
export function fromOpenAIChat(usage: Obj): Usage {
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const pd = isObj(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const cd = isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  const cached = Math.min(count(pd.cached_tokens), prompt);
  const reasoning = Math.min(count(cd.reasoning_tokens), completion);
  return {
    inputTokens: prompt - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: completion - reasoning,
    reasoningTokens: reasoning,
  };
}

/** OpenAI Responses API: `input_tokens` includes cached tokens; `output_tokens` includes reasoning. */
export function fromOpenAIResponses(usage: Obj): Usage {
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const id = isObj(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const od = isObj(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const cached = Math.min(count(id.cached_tokens), input);
  const reasoning = Math.min(count(od.reasoning_tokens), output);
  return {
    inputTokens: input - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: output - reasoning,
    reasoningTokens: reasoning,
  };
}

/** Anthropic Messages: `input_tokens` excludes cache reads and cache writes, which come separately. */
export function fromAnthropic(usage: Obj): Usage {
  return {
    inputTokens: count(usage.input_tokens),
    cacheReadTokens: count(usage.cache_read_input_tokens),
    cacheWriteTokens: count(usage.cache_creation_input_tokens),
    outputTokens: count(usage.output_tokens),
    reasoningTokens: 0,
  };
}

export type UsageShape = 'openai-chat' | 'openai-responses' | 'anthropic';

/** Which provider shape a `usage` object has, or undefined when it has none we know. */
export function detectShape(usage: unknown): UsageShape | undefined {
  if (!isObj(usage)) return undefined;
  if ('prompt_tokens' in usage || 'completion_tokens' in usage) return 'openai-chat';
  if (
    'input_tokens_details' in usage ||
    'output_tokens_details' in usage ||
    'total_tokens' in usage
  )
    return 'openai-responses';
  if ('input_tokens' in usage || 'output_tokens' in usage) return 'anthropic';
  return undefined;
}

/**
 * Normalizes the `usage` of an OpenAI (Chat or Responses) or Anthropic response, or
 * returns undefined when the response carries no usage.
 *
 * @example
 * const usage = normalizeUsage(await openai.chat.completions.create(req));
 */
export function normalizeUsage(response: unknown): Usage | undefined {
  const usage = isObj(response) && 'usage' in response ? response.usage : undefined;
  if (!isObj(usage)) return undefined;
  switch (detectShape(usage)) {
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
