import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { UsageRecord } from './store.js';

const tracer = () => trace.getTracer('@platform/cost');

/** Starts a GenAI client span (OpenTelemetry semantic conventions); a no-op without a tracer provider. */
export function startGenAiSpan(a: {
  operation: string;
  provider: string;
  model: string;
  maxTokens?: number;
  tenant: string;
}): Span {
  return tracer().startSpan(`${a.operation} ${a.model}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': a.operation,
      'gen_ai.provider.name': a.provider,
      'gen_ai.system': a.provider,
      'gen_ai.request.model': a.model,
      ...(a.maxTokens === undefined ? {} : { 'gen_ai.request.max_tokens': a.maxTokens }),
      'platform.tenant': a.tenant,
    },
  });
}

/** Adds the settled usage to the span and ends it. */
export function endGenAiSpan(span: Span, record: UsageRecord | undefined, error?: unknown): void {
  if (record) {
    const u = record.usage;
    span.setAttributes({
      'gen_ai.response.model': record.model,
      'gen_ai.usage.input_tokens': u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens,
      'gen_ai.usage.output_tokens': u.outputTokens + u.reasoningTokens,
      'platform.cost.nano_usd': record.costNanoUsd.toString(),
      'platform.cost.price_version': record.priceVersion,
      'platform.cost.estimated': record.estimated,
    });
  }
  if (error !== undefined) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
