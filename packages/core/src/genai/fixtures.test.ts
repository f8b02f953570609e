import { describe, expect, it } from 'vitest';
import {
  PROVIDER_FIXTURES,
  type ProviderFixture,
  streamedChunks,
} from '../../../../test/support/genai-fixtures.js';
import { usageAttributes } from './attributes.js';
import { responseOf } from './response.js';
import { streamUsage } from './stream.js';
import { normalizeUsage } from './usage.js';

const answerOf = (f: ProviderFixture) => ({
  model: f.expected.responseModel,
  ...(f.expected.finishReasons && { finishReasons: f.expected.finishReasons }),
});

describe('provider response bodies, as documented', () => {
  for (const f of PROVIDER_FIXTURES.filter((x) => x.body)) {
    it(`${f.name}: usage split for billing and semconv attributes`, () => {
      const usage = normalizeUsage(f.body);
      expect(usage).toEqual(f.expected.usage);
      expect(usageAttributes(usage!)).toEqual(f.expected.attributes);
      expect(responseOf(f.body)).toMatchObject(answerOf(f));
    });
  }

  for (const f of PROVIDER_FIXTURES.filter((x) => x.events)) {
    it(`${f.name}: the stream's final usage event gives the same counts`, () => {
      const tracker = streamUsage({ estimatedInputTokens: 1 });
      const chunks = streamedChunks(f);
      for (const c of chunks.slice(0, -1)) tracker.push(c);
      expect(tracker.result().estimated).toBe(true);
      tracker.push(chunks.at(-1));
      const { usage, estimated } = tracker.result();
      expect(estimated).toBe(false);
      expect(usage).toEqual(f.expected.usage);
      expect(usageAttributes(usage)).toEqual(f.expected.attributes);
      expect(tracker.response()).toMatchObject(answerOf(f));
    });
  }
});
