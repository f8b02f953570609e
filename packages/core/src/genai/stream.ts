import { choiceFinishReasons, type GenAiResponse } from './response.js';
import { fromAnthropic, normalizeUsage, type Usage } from './usage.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

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
  /** Id, model and finish reasons seen so far. */
  response(): GenAiResponse;
}

// The Responses API events that carry the final response, usage included.
const RESPONSE_DONE = new Set(['response.completed', 'response.incomplete', 'response.failed']);

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
 * Anthropic's `message_delta` usage is cumulative, and a field is null (or absent) when the
 * delta does not say: only what it says replaces what `message_start` said.
 */
function mergeAnthropicUsage(into: Obj | undefined, delta: Obj): Obj {
  const merged: Obj = { ...into };
  for (const [k, v] of Object.entries(delta)) if (v !== null && v !== undefined) merged[k] = v;
  return merged;
}

class ProviderStream implements StreamUsageTracker {
  private final: Usage | undefined;
  private anthropic: Obj | undefined;
  private anthropicDone = false;
  private chars = 0;
  private readonly info: GenAiResponse = {};

  constructor(private readonly estimatedInputTokens: number) {}

  push(chunk: unknown): void {
    if (!isObj(chunk)) return;
    this.chars += textOf(chunk).length;
    switch (chunk.type) {
      case 'message_start':
        if (isObj(chunk.message)) this.messageStart(chunk.message);
        return;
      case 'message_delta':
        this.messageDelta(chunk);
        return;
      case 'message_stop':
        this.anthropicDone = this.anthropic !== undefined;
        return;
    }
    if (typeof chunk.type === 'string' && isObj(chunk.response)) {
      this.noteIdentity(chunk.response);
      if (RESPONSE_DONE.has(chunk.type)) this.final = normalizeUsage(chunk.response) ?? this.final;
      return;
    }
    this.chatChunk(chunk);
  }

  result(): StreamUsage {
    if (this.final) return { usage: this.final, estimated: false };
    const base = this.anthropic ? fromAnthropic(this.anthropic) : undefined;
    if (base && this.anthropicDone) return { usage: base, estimated: false };
    return {
      usage: {
        inputTokens: base ? base.inputTokens : Math.max(0, Math.ceil(this.estimatedInputTokens)),
        cacheReadTokens: base?.cacheReadTokens ?? 0,
        cacheWriteTokens: base?.cacheWriteTokens ?? 0,
        outputTokens: Math.max(Math.ceil(this.chars / 4), base?.outputTokens ?? 0),
        reasoningTokens: 0,
      },
      estimated: true,
    };
  }

  response(): GenAiResponse {
    const { finishReasons, ...rest } = this.info;
    return finishReasons ? { ...rest, finishReasons: [...finishReasons] } : rest;
  }

  private messageStart(message: Obj): void {
    this.noteIdentity(message);
    if (isObj(message.usage)) this.anthropic = { ...message.usage };
  }

  private messageDelta(chunk: Obj): void {
    if (isObj(chunk.usage)) this.anthropic = mergeAnthropicUsage(this.anthropic, chunk.usage);
    const reason = isObj(chunk.delta) ? str(chunk.delta.stop_reason) : undefined;
    if (reason) this.info.finishReasons = [reason];
  }

  /** OpenAI Chat: every chunk names id and model; usage comes on a last chunk with no choices. */
  private chatChunk(chunk: Obj): void {
    this.noteIdentity(chunk);
    const reasons = choiceFinishReasons(chunk.choices);
    if (reasons.length > 0)
      this.info.finishReasons = [...(this.info.finishReasons ?? []), ...reasons];
    if (isObj(chunk.usage)) this.final = normalizeUsage(chunk) ?? this.final;
  }

  private noteIdentity(o: Obj): void {
    const id = this.info.id ?? str(o.id);
    const model = this.info.model ?? str(o.model);
    if (id) this.info.id = id;
    if (model) this.info.model = model;
  }
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
  return new ProviderStream(options.estimatedInputTokens);
}
