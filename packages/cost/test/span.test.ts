import {
  type Attributes,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costControl, guard } from '../src/index.js';

interface Recorded {
  name: string;
  kind?: number;
  attributes: Attributes;
  ended: boolean;
  status?: number;
}

// A recording TracerProvider, the part of an SDK the GenAI span goes through.
const spans: Recorded[] = [];
const tracer: Tracer = {
  startSpan(name: string, options?: SpanOptions): Span {
    const rec: Recorded = {
      name,
      kind: options?.kind,
      attributes: { ...options?.attributes },
      ended: false,
    };
    spans.push(rec);
    const span = {
      setAttributes(a: Attributes) {
        Object.assign(rec.attributes, a);
        return span;
      },
      setStatus(s: { code: number }) {
        rec.status = s.code;
        return span;
      },
      recordException() {},
      end() {
        rec.ended = true;
      },
    };
    return span as unknown as Span;
  },
  startActiveSpan: (() => {
    throw new Error('not used');
  }) as Tracer['startActiveSpan'],
};
const provider: TracerProvider = { getTracer: () => tracer };

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(() => trace.disable());

describe('GenAI span', () => {
  it('names the operation and model and carries the settled usage and cost', async () => {
    const control = costControl();
    await guard(
      control,
      { tenant: 'spans', model: 'gpt-4o', inputTokens: 10, maxOutputTokens: 100 },
      async () => ({
        usage: {
          prompt_tokens: 50,
          completion_tokens: 20,
          prompt_tokens_details: { cached_tokens: 10 },
          completion_tokens_details: { reasoning_tokens: 5 },
        },
      }),
    );
    await guard(control, { tenant: 'spans', model: 'gpt-4o', inputTokens: 10 }, async () => {
      throw new Error('provider down');
    }).catch(() => undefined);
    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({
      name: 'chat gpt-4o',
      kind: 2,
      ended: true,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.request.max_tokens': 100,
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 20,
        'platform.cost.nano_usd': String(40n * 2500n + 10n * 1250n + 20n * 10_000n),
        'platform.cost.estimated': false,
      },
    });
    expect(spans[1]).toMatchObject({ ended: true, status: 2 });
  });
});
