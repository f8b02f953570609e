import { fromAnthropic, normalizeUsage, type Usage } from './usage.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/** Usage of a streamed response: exact when the provider sent it, else an estimate. */
export interface StreamUsage {
  usage: Usage;
  /** True when the stream ended (or was cut) before the provider reported usage. */
  estimated: boolean;
}

export interface StreamUsageTracker {
  /** Feed every chunk / event of the stream, in order. */
  push(chunk: unknown): void;
  /** The usage so far; `estimated` unless the final usage arrived. */
  result(): StreamUsage;
}

function textOf(chunk: Obj): string {
  let out = '';
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  for (const c of choices) {
    if (isObj(c) && isObj(c.delta) && typeof c.delta.content === 'string') out += c.delta.content;
  }
  if (typeof chunk.delta === 'string') out += chunk.delta;
  if (isObj(chunk.delta) && typeof chunk.delta.text === 'string') out += chunk.delta.text;
  return out;
}

/**
 * Follows a streamed OpenAI (Chat with `stream_options.include_usage`, or Responses events)
 * or Anthropic (message_start / message_delta events) response and yields its usage. When
 * the stream is cut before usage arrives, the output is estimated from the text seen
 * (4 characters per token) and the input from `estimatedInputTokens`, flagged `estimated`.
 *
 * @example
 * const tracker = streamUsage({ estimatedInputTokens: 120 });
 * for await (const chunk of stream) tracker.push(chunk);
 * const { usage, estimated } = tracker.result();
 */
export function streamUsage(options: { estimatedInputTokens: number }): StreamUsageTracker {
  let final: Usage | undefined;
  let anthropic: Obj | undefined;
  let anthropicDone = false;
  let chars = 0;
  return {
    push(chunk) {
      if (!isObj(chunk)) return;
      chars += textOf(chunk).length;
      if (chunk.type === 'message_start' && isObj(chunk.message) && isObj(chunk.message.usage)) {
        anthropic = { ...chunk.message.usage };
        return;
      }
      if (chunk.type === 'message_delta' && isObj(chunk.usage)) {
        anthropic = { ...(anthropic ?? {}), ...chunk.usage };
        return;
      }
      if (chunk.type === 'message_stop') {
        anthropicDone = anthropic !== undefined;
        return;
      }
      if (chunk.type === 'response.completed' && isObj(chunk.response)) {
        final = normalizeUsage(chunk.response) ?? final;
        return;
      }
      if (isObj(chunk.usage)) final = normalizeUsage(chunk) ?? final;
    },
    result() {
      if (final) return { usage: final, estimated: false };
      if (anthropic && anthropicDone) return { usage: fromAnthropic(anthropic), estimated: false };
      const outputTokens = Math.max(
        Math.ceil(chars / 4),
        anthropic ? fromAnthropic(anthropic).outputTokens : 0,
      );
      const base = anthropic ? fromAnthropic(anthropic) : undefined;
      return {
        usage: {
          inputTokens: base
            ? base.inputTokens
            : Math.max(0, Math.ceil(options.estimatedInputTokens)),
          cacheReadTokens: base?.cacheReadTokens ?? 0,
          cacheWriteTokens: base?.cacheWriteTokens ?? 0,
          outputTokens,
          reasoningTokens: 0,
        },
        estimated: true,
      };
    },
  };
}
