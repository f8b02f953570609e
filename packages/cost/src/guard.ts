import { type Attributes, trace } from '@opentelemetry/api';
import { getContext } from '@platform/core';
import {
  type GenAiOutcome,
  type GenAiReading,
  genAiCall,
  responseOf,
  type Usage,
  ZERO_USAGE,
} from '@platform/core/genai';
import type { Admission, CostControl, SettleInput } from './control.js';
import type { UsageRecord } from './store.js';

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
    // a key verified by @platform/access is the actor: it is the user and the key
    apiKey: o.apiKey ?? (ctx?.actor?.type === 'apiKey' ? ctx.actor.id : undefined),
  };
}

/** What the settlement of a call records, from how the call ended. */
function settlement(
  outcome: GenAiOutcome,
  inputTokens: number,
  maxOutputTokens: number | undefined,
): SettleInput {
  if (outcome.streamed) {
    const usage = outcome.usage ?? ZERO_USAGE;
    return { usage, estimated: outcome.estimated, outcome: outcome.estimated ? 'cut' : 'ok' };
  }
  if (outcome.failed) return { usage: ZERO_USAGE, outcome: 'error' };
  if (outcome.usage) return { usage: outcome.usage };
  return {
    usage: { ...ZERO_USAGE, inputTokens, outputTokens: maxOutputTokens ?? 0 },
    estimated: true,
  };
}

function costAttributes(record: UsageRecord): Attributes {
  return {
    'platform.cost.nano_usd': record.costNanoUsd.toString(),
    'platform.cost.price_version': record.priceVersion,
    'platform.cost.estimated': record.estimated,
  };
}

function readerOf<T>(usage: GuardOptions<T>['usage']): ((r: T) => GenAiReading) | undefined {
  return usage && ((result) => ({ usage: usage(result), response: responseOf(result) }));
}

/**
 * Runs one AI call under budget control: admission (or a 429 QuotaExceededError) → `fn` with
 * the model to use (downgrades apply) → settlement with the actual usage, a GenAI span (core's
 * `genAiCall`, the same span and usage reading as @platform/tracing) and the usage record. A
 * streamed result (async iterable) settles when the stream ends; a stream cut before usage
 * arrives settles an estimate flagged `estimated`.
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
  const settle = async (outcome: GenAiOutcome) =>
    costAttributes(
      await admission.settle(settlement(outcome, inputTokens, options.maxOutputTokens)),
    );
  return genAiCall(
    {
      provider: admission.price.provider,
      model: admission.model,
      operation: options.operation,
      maxTokens: options.maxOutputTokens,
      attributes: { 'platform.tenant': subject.tenant },
    },
    () => fn(admission.model, admission),
    {
      tracer: trace.getTracer('@platform/cost'),
      read: readerOf(options.usage),
      estimatedInputTokens: inputTokens,
      onSettled: settle,
    },
  );
}
