import {
  type Attributes,
  context as otelContext,
  type Span,
  type SpanKind,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { isPromise } from '@platform/core';
import { recordSpanError } from '@platform/core/genai';
import { getTracing, TRACER_NAME } from './provider.js';

export type Layer = 'service' | 'repository' | 'db' | 'ai' | 'integration' | (string & {});

export interface TracedOptions {
  /** The architectural layer, recorded as `code.layer` (service, repository, ...). */
  layer?: Layer;
  attributes?: Attributes;
  kind?: SpanKind;
}

export function tracer(): Tracer {
  return getTracing()?.tracer ?? trace.getTracer(TRACER_NAME);
}

/** Records an error on a span: exception event, `error.type`, status ERROR. */
export const recordError: (span: Span, error: unknown) => void = recordSpanError;

/**
 * Runs `fn` in a child span of the current one (sync or async), recording errors and
 * ending the span when `fn` settles. `fn` receives the span to add attributes.
 *
 * @example
 * const order = await traced('orders.load', () => repo.load(id), { layer: 'repository' });
 */
export function traced<T>(name: string, fn: (span: Span) => T, options: TracedOptions = {}): T {
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes });
  if (options.layer && span.isRecording()) span.setAttribute('code.layer', options.layer);
  const ctx = trace.setSpan(otelContext.active(), span);
  let result: T;
  try {
    result = otelContext.with(ctx, fn, undefined, span);
  } catch (error) {
    recordError(span, error);
    span.end();
    throw error;
  }
  if (isPromise(result)) {
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}
