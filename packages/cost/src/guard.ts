import { getContext } from '@platform/core';
import type { Admission, CostControl } from './control.js';
import { endGenAiSpan, startGenAiSpan } from './span.js';
import { streamUsage } from './stream.js';
import { normalizeUsage, type Usage, ZERO_USAGE } from './usage.js';

export interface GuardOptions<T> {
  /** Defaults to the request's tenant (core context), else `"default"`. */
  tenant?: string;
  /** Defaults to the request's actor id. */
  user?: string;
  apiKey?: string;
  model: string;
  /** The request input (messages, prompt): its UTF-8 size bounds the input tokens. */
  input?: unknown;
  /** Known input token count; overrides `input`. */
  inputTokens?: number;
  maxOutputTokens?: number;
  /** Reads usage from the result; default `normalizeUsage` (OpenAI and Anthropic shapes). */
  usage?: (result: T) => Usage | undefined;
  /** GenAI operation name for the span. Default `chat`. */
  operation?: string;
}

const encoder = new TextEncoder();

/**
 * An upper bound of the input tokens of `input`: the UTF-8 bytes of its JSON (a BPE token is
 * at least one byte) plus a small per-request overhead. Reserving this bound is what makes
 * "no overshoot" hold without knowing the tokenizer.
 */
export function estimateInputTokens(input: unknown): number {
  if (input === undefined) return 16;
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  return encoder.encode(text ?? '').length + 16;
}

function subjectOf(o: { tenant?: string; user?: string; apiKey?: string }) {
  const ctx = getContext();
  return {
    tenant: o.tenant ?? ctx?.tenantId ?? 'default',
    user: o.user ?? ctx?.actor?.id,
    apiKey: o.apiKey,
  };
}

function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

/**
 * Runs one AI call under budget control: admission (or a 429 QuotaExceededError) → `fn` with
 * the model to use (downgrades apply) → settlement with the actual usage, a GenAI span and
 * the usage record. A streamed result (async iterable) settles when the stream ends; a stream
 * cut before usage arrives settles an estimate flagged `estimated`.
 *
 * @example
 * const reply = await guard(control, { model: 'gpt-4o-mini', input: messages, maxOutputTokens: 300 },
 *   (model) => openai.chat.completions.create({ model, messages, max_tokens: 300 }));
 */
export async function guard<T>(
  control: CostControl,
  options: GuardOptions<T>,
  fn: (model: string, admission: Admission) => Promise<T>,
): Promise<T> {
  const subject = subjectOf(options);
  const inputTokens = options.inputTokens ?? estimateInputTokens(options.input);
  const admission = await control.admit({
    ...subject,
    model: options.model,
    inputTokens,
    maxOutputTokens: options.maxOutputTokens,
  });
  const span = startGenAiSpan({
    operation: options.operation ?? 'chat',
    provider: admission.price.provider,
    model: admission.model,
    maxTokens: options.maxOutputTokens,
    tenant: subject.tenant,
  });
  let result: T;
  try {
    result = await fn(admission.model, admission);
  } catch (err) {
    const record = await admission.settle({ usage: ZERO_USAGE, outcome: 'error' });
    endGenAiSpan(span, record, err);
    throw err;
  }
  if (isAsyncIterable(result) && normalizeUsage(result) === undefined) {
    return trackStream(result, admission, span, inputTokens) as T;
  }
  const usage = (options.usage ?? (normalizeUsage as (r: T) => Usage | undefined))(result);
  const record = await admission.settle(
    usage
      ? { usage }
      : {
          usage: { ...ZERO_USAGE, inputTokens, outputTokens: options.maxOutputTokens ?? 0 },
          estimated: true,
        },
  );
  endGenAiSpan(span, record);
  return result;
}

function trackStream<S extends AsyncIterable<unknown>>(
  stream: S,
  admission: Admission,
  span: ReturnType<typeof startGenAiSpan>,
  inputTokens: number,
): S {
  const tracker = streamUsage({ estimatedInputTokens: inputTokens });
  const iterate = async function* () {
    let failure: unknown;
    try {
      for await (const chunk of stream) {
        tracker.push(chunk);
        yield chunk;
      }
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      const { usage, estimated } = tracker.result();
      const record = await admission.settle({
        usage,
        estimated,
        outcome: estimated ? 'cut' : 'ok',
      });
      endGenAiSpan(span, record, failure);
    }
  };
  return new Proxy(stream, {
    get(target, prop, receiver) {
      if (prop === Symbol.asyncIterator) return () => iterate();
      return Reflect.get(target, prop, receiver);
    },
  });
}
