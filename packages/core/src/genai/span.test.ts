import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDER_FIXTURES, streamedChunks } from '../../../../test/support/genai-fixtures.js';
import { type GenAiOutcome, genAiCall } from './span.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('genai-test');
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);

afterAll(async () => {
  context.disable();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const fixture = (name: string) => {
  const f = PROVIDER_FIXTURES.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};

async function* replay(chunks: unknown[]) {
  for (const c of chunks) yield c;
}

describe('genAiCall', () => {
  it('runs the call in an active CLIENT span with request, usage and response attributes', async () => {
    const f = fixture('anthropic-messages');
    const outcomes: GenAiOutcome[] = [];
    let active: string | undefined;
    const body = await genAiCall(
      {
        provider: 'anthropic',
        model: f.model,
        maxTokens: 1024,
        attributes: { 'app.feature': 'x' },
      },
      async () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
        return f.body;
      },
      {
        tracer,
        onSettled: (o) => {
          outcomes.push(o);
          return { 'app.settled': true };
        },
      },
    );
    expect(body).toBe(f.body);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe(`chat ${f.model}`);
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(active).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': f.model,
      'gen_ai.request.max_tokens': 1024,
      'app.feature': 'x',
      ...f.expected.attributes,
      'gen_ai.response.id': 'msg_01XFDUDYJgAACzvnptvVoYEL',
      'gen_ai.response.model': f.expected.responseModel,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'app.settled': true,
    });
    expect(outcomes).toEqual([
      {
        usage: f.expected.usage,
        estimated: false,
        response: {
          id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
          model: f.expected.responseModel,
          finishReasons: ['end_turn'],
        },
        streamed: false,
        failed: false,
      },
    ]);
  });

  it('records a failed call (error.type, status ERROR) and rethrows', async () => {
    const outcomes: GenAiOutcome[] = [];
    class RateLimitError extends Error {
      override name = 'RateLimitError';
    }
    const call = genAiCall(
      { provider: 'openai', model: 'gpt-4o' },
      async () => {
        throw new RateLimitError('429 Too Many Requests');
      },
      { tracer, onSettled: (o) => void outcomes.push(o) },
    );
    await expect(call).rejects.toThrow('429 Too Many Requests');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: '429 Too Many Requests' });
    expect(span?.attributes['error.type']).toBe('RateLimitError');
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    expect(outcomes[0]).toMatchObject({ failed: true, streamed: false, usage: undefined });
  });

  it('a reader that throws costs the span its usage, not the call its result', async () => {
    const result = await genAiCall({ provider: 'openai', model: 'gpt-4o' }, async () => 'text', {
      tracer,
      read: () => {
        throw new Error('unexpected shape');
      },
    });
    expect(result).toBe('text');
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a streamed result keeps the span open until the stream ends, then adds its usage', async () => {
    const f = fixture('openai-chat-stream');
    const outcomes: GenAiOutcome[] = [];
    const stream = await genAiCall(
      { provider: 'openai', model: f.model },
      async () => replay(streamedChunks(f)),
      { tracer, onSettled: (o) => void outcomes.push(o) },
    );
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const seen: unknown[] = [];
    for await (const chunk of stream) seen.push(chunk);
    expect(seen).toEqual(streamedChunks(f));
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      ...f.expected.attributes,
      'gen_ai.response.model': f.expected.responseModel,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(outcomes).toMatchObject([
      { usage: f.expected.usage, estimated: false, streamed: true, failed: false },
    ]);
  });

  it('a stream the caller stops early ends the span without provider usage (an estimate)', async () => {
    const f = fixture('anthropic-messages-stream');
    const outcomes: GenAiOutcome[] = [];
    const stream = await genAiCall(
      { provider: 'anthropic', model: f.model },
      async () => replay(streamedChunks(f)),
      { tracer, estimatedInputTokens: 500, onSettled: (o) => void outcomes.push(o) },
    );
    for await (const chunk of stream) {
      if ((chunk as { type: string }).type === 'content_block_delta') break;
    }
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span?.attributes['gen_ai.response.model']).toBe(f.expected.responseModel);
    expect(outcomes).toMatchObject([{ estimated: true, streamed: true, failed: false }]);
    // message_start had come: its input counts stand, the output is estimated from the text
    expect(outcomes[0]?.usage).toMatchObject({ inputTokens: 22, cacheReadTokens: 4096 });
  });

  it('without a tracer provider the span is a no-op and the call still runs', async () => {
    const f = fixture('openai-chat');
    await expect(
      genAiCall({ provider: 'openai', model: f.model }, async () => f.body),
    ).resolves.toBe(f.body);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
