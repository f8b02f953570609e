import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  type GenAiRequest,
  requestAttributes,
  responseAttributes,
  usageAttributes,
} from './attributes.js';
import { type GenAiResponse, responseOf } from './response.js';
import { type StreamUsageTracker, streamUsage } from './stream.js';
import { normalizeUsage, type Usage } from './usage.js';

/** What a call's result says: its usage and the provider's answer facts. */
export interface GenAiReading {
  usage?: Usage;
  response?: GenAiResponse;
}

/** How a call ended, handed to `onSettled` once (for a stream: once it ended or was cut). */
export interface GenAiOutcome {
  /**
   * The usage the provider reported. For a stream cut before the provider reported it, an
   * estimate (`estimated`); undefined when a call that was not streamed reported none.
   */
  usage: Usage | undefined;
  estimated: boolean;
  response: GenAiResponse;
  /** True when the result was a stream, followed to its end. */
  streamed: boolean;
  /** True when the call, or the iteration of its stream, threw `error`. */
  failed: boolean;
  error?: unknown;
}

export interface GenAiCallOptions<T> {
  /** The tracer of the instrumentation scope; default the global provider's `@platform/core`. */
  tracer?: Tracer;
  /** Reads usage and answer facts from a result that is not a stream; default `readResponse`. */
  read?: (result: T) => GenAiReading;
  /** The input tokens to assume when a stream is cut before the provider reports usage. */
  estimatedInputTokens?: number;
  /** Runs before the span ends; the attributes it returns are added to the span. */
  onSettled?: (outcome: GenAiOutcome) => Attributes | undefined | Promise<Attributes | undefined>;
}

/** Usage and answer facts of an OpenAI (Chat, Responses) or Anthropic (Messages) body. */
export function readResponse(body: unknown): GenAiReading {
  return { usage: normalizeUsage(body), response: responseOf(body) };
}

/** Records an error on a span: exception event, `error.type`, status ERROR. */
export function recordSpanError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setAttributes({
      'error.type': error.name && error.name !== 'Error' ? error.name : error.constructor.name,
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message.slice(0, 256) });
  } else {
    span.recordException(String(error));
    span.setAttributes({ 'error.type': typeof error });
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function isStream(result: unknown): result is AsyncIterable<unknown> {
  return (
    typeof result === 'object' &&
    result !== null &&
    Symbol.asyncIterator in result &&
    normalizeUsage(result) === undefined
  );
}

function safeRead<T>(read: (result: T) => GenAiReading, result: T): GenAiReading {
  try {
    return read(result);
  } catch {
    return {}; // a failing reader must not fail a call that succeeded
  }
}

async function settle<T>(span: Span, options: GenAiCallOptions<T>, outcome: GenAiOutcome) {
  try {
    if (outcome.usage && !outcome.estimated) span.setAttributes(usageAttributes(outcome.usage));
    span.setAttributes(responseAttributes(outcome.response));
    if (outcome.failed) recordSpanError(span, outcome.error);
    const more = await options.onSettled?.(outcome);
    if (more) span.setAttributes(more);
  } finally {
    span.end();
  }
}

async function* followed(
  stream: AsyncIterable<unknown>,
  tracker: StreamUsageTracker,
  end: (outcome: GenAiOutcome) => Promise<void>,
) {
  let failed = false;
  let error: unknown;
  try {
    for await (const chunk of stream) {
      tracker.push(chunk);
      yield chunk;
    }
  } catch (err) {
    failed = true;
    error = err;
    throw err;
  } finally {
    const { usage, estimated } = tracker.result();
    await end({ usage, estimated, response: tracker.response(), streamed: true, failed, error });
  }
}

/**
 * The stream as the caller got it, but iterating it feeds the usage tracker, and its end (or
 * cut) settles the span. Everything but iteration goes to the stream itself.
 */
function followStream<S extends AsyncIterable<unknown>>(
  stream: S,
  span: Span,
  options: GenAiCallOptions<unknown>,
): S {
  const tracker = streamUsage({ estimatedInputTokens: options.estimatedInputTokens ?? 0 });
  let ended = false;
  const end = (outcome: GenAiOutcome) => {
    if (ended) return Promise.resolve();
    ended = true;
    return settle(span, options, outcome);
  };
  return new Proxy(stream, {
    get(target, prop, receiver) {
      if (prop === Symbol.asyncIterator) return () => followed(target, tracker, end);
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * Runs an AI provider call in a CLIENT span named `{operation} {model}` with the GenAI
 * semantic-convention attributes, the span active while `fn` runs. Usage and answer facts
 * are read from the result (OpenAI Chat / Responses and Anthropic Messages bodies). A
 * streamed result (an async iterable without usage) is returned wrapped: the span ends, with
 * the usage from the stream's final usage event, when the caller has iterated it to its end
 * or stopped. Without a registered tracer provider the span is a no-op.
 *
 * @example
 * const reply = await genAiCall({ provider: 'openai', model: 'gpt-4o-mini' },
 *   () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages }));
 */
export async function genAiCall<T>(
  request: GenAiRequest,
  fn: () => Promise<T>,
  options: GenAiCallOptions<T> = {},
): Promise<T> {
  const tracer = options.tracer ?? trace.getTracer('@platform/core');
  const span = tracer.startSpan(`${request.operation ?? 'chat'} ${request.model}`, {
    kind: SpanKind.CLIENT,
    attributes: requestAttributes(request),
  });
  let result: T;
  try {
    result = await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    const outcome = { usage: undefined, estimated: false, response: {}, streamed: false };
    await settle(span, options, { ...outcome, failed: true, error });
    throw error;
  }
  if (isStream(result)) return followStream(result, span, options as GenAiCallOptions<unknown>);
  const { usage, response = {} } = safeRead(options.read ?? readResponse, result);
  await settle(span, options, {
    usage,
    estimated: false,
    response,
    streamed: false,
    failed: false,
  });
  return result;
}
