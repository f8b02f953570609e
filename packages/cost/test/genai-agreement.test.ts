import Anthropic from '@anthropic-ai/sdk';
import type { Attributes } from '@opentelemetry/api';
import { genAiCall, initTracing } from '@platform/tracing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProvider,
  FIXTURE_HEADER,
  fakeGenAiProvider,
} from '../../../test/support/fake-genai-provider.js';
import {
  API_PATHS,
  PROVIDER_FIXTURES,
  type ProviderFixture,
} from '../../../test/support/genai-fixtures.js';
import { costControl, guard } from '../src/index.js';

// The same provider responses, read by the official SDKs from a provider on loopback, go
// through @platform/tracing's genAiCall and through @platform/cost's guard: both spans carry
// the same token counts (the ones the provider documents), and cost bills them once each.

const tracing = initTracing({ exporter: 'memory', registerShutdown: false });
const control = costControl();
let ai: FakeProvider;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  ai = await fakeGenAiProvider(PROVIDER_FIXTURES);
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${ai.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: ai.url, maxRetries: 0 });
});

afterAll(async () => {
  await control.close();
  await tracing.shutdown();
  await ai.close();
});

const QUESTION = 'Where is my order #1042?';

/** The provider call of a fixture, through its official SDK. */
function call(f: ProviderFixture, model: string): Promise<unknown> {
  const options = { headers: { [FIXTURE_HEADER]: f.name } };
  const stream = f.events !== undefined;
  switch (f.api) {
    case 'chat': {
      const messages = [{ role: 'user' as const, content: QUESTION }];
      return stream
        ? openai.chat.completions.create(
            { model, messages, stream: true, stream_options: { include_usage: true } },
            options,
          )
        : openai.chat.completions.create({ model, messages }, options);
    }
    case 'responses':
      return stream
        ? openai.responses.create({ model, input: QUESTION, stream: true }, options)
        : openai.responses.create({ model, input: QUESTION }, options);
    case 'messages': {
      const params = {
        model,
        max_tokens: 1024,
        messages: [{ role: 'user' as const, content: QUESTION }],
      };
      return stream
        ? anthropic.messages.create({ ...params, stream: true }, options)
        : anthropic.messages.create(params, options);
    }
  }
}

/** Reads a streamed result to its end, as an application would. */
async function consume(result: unknown): Promise<number> {
  let chunks = 0;
  if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result) {
    for await (const _ of result as AsyncIterable<unknown>) chunks++;
  }
  return chunks;
}

type FinishedSpan = ReturnType<
  NonNullable<typeof tracing.memoryExporter>['getFinishedSpans']
>[number];

const usageOf = (a: Attributes) =>
  Object.fromEntries(Object.entries(a).filter(([k]) => k.startsWith('gen_ai.usage.')));

async function spanOf(scope: string, name: string): Promise<FinishedSpan> {
  await tracing.forceFlush();
  const spans = tracing.memoryExporter?.getFinishedSpans() ?? [];
  const span = spans.find((s) => s.instrumentationScope.name === scope && s.name === name);
  if (!span) throw new Error(`no ${scope} span "${name}" among ${spans.map((s) => s.name)}`);
  return span;
}

describe('tracing and cost read the same provider responses the same way', () => {
  for (const f of PROVIDER_FIXTURES) {
    it(`${f.name}: same gen_ai.usage attributes on both spans, billed once each`, async () => {
      const name = `chat ${f.model}`;
      const streamed = f.events !== undefined;

      const traced = await genAiCall({ provider: f.provider, model: f.model }, () =>
        call(f, f.model),
      );
      const tracedChunks = await consume(traced);
      const guarded = await guard(
        control,
        { tenant: f.name, model: f.model, input: QUESTION, maxOutputTokens: 1024 },
        (model) => call(f, model),
      );
      expect(await consume(guarded)).toBe(tracedChunks);
      expect(tracedChunks > 0).toBe(streamed);

      const tracingSpan = await spanOf('@platform/tracing', name);
      const costSpan = await spanOf('@platform/cost', name);
      expect(usageOf(tracingSpan.attributes)).toEqual(f.expected.attributes);
      expect(usageOf(costSpan.attributes)).toEqual(f.expected.attributes);
      for (const span of [tracingSpan, costSpan]) {
        expect(span.attributes).toMatchObject({
          'gen_ai.provider.name': f.provider,
          'gen_ai.request.model': f.model,
          'gen_ai.response.model': f.expected.responseModel,
          ...(f.expected.finishReasons && {
            'gen_ai.response.finish_reasons': f.expected.finishReasons,
          }),
        });
      }

      await control.flush();
      const [record] = await control.ledger.records({ tenant: f.name });
      expect(record).toMatchObject({
        provider: f.provider,
        model: f.model,
        usage: f.expected.usage,
        costNanoUsd: f.expected.costNanoUsd,
        estimated: false,
        outcome: 'ok',
      });
      expect(costSpan.attributes['platform.cost.nano_usd']).toBe(String(f.expected.costNanoUsd));
    });
  }

  it('every call reached the endpoint of its API through the SDKs', () => {
    expect(ai.requests.map((r) => r.path)).toEqual(
      PROVIDER_FIXTURES.flatMap((f) => [API_PATHS[f.api], API_PATHS[f.api]]),
    );
  });
});
