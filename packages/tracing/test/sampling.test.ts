import { ROOT_CONTEXT, SpanKind, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { afterAll, describe, expect, it } from 'vitest';
import { initTracing, PlatformSampler } from '../src/index.js';
import { defaultSampleRatio } from '../src/provider.js';

const handle = initTracing({
  exporter: 'memory',
  sampleRatio: 0.1,
  batch: { maxQueueSize: 20_000, maxExportBatchSize: 1000 },
});

afterAll(() => handle.shutdown());

describe('head sampling', () => {
  it('samples 10,000 root traces at ratio 0.1 within 5 standard deviations, and exports exactly those', async () => {
    const n = 10_000;
    let sampled = 0;
    for (let i = 0; i < n; i++) {
      const span = handle.tracer.startSpan(`root ${i}`);
      if (span.spanContext().traceFlags & TraceFlags.SAMPLED) sampled++;
      span.end();
    }
    const sd = Math.sqrt(n * 0.1 * 0.9); // 30
    expect(sampled).toBeGreaterThan(n * 0.1 - 5 * sd);
    expect(sampled).toBeLessThan(n * 0.1 + 5 * sd);
    await handle.forceFlush();
    expect(handle.memoryExporter!.getFinishedSpans()).toHaveLength(sampled);
  });

  it('uses ratio 1.0 in development and 0.1 in production by default', () => {
    expect(handle.sampleRatio).toBe(0.1);
    expect(defaultSampleRatio('production')).toBe(0.1);
    expect(defaultSampleRatio('development')).toBe(1);
    expect(defaultSampleRatio('test')).toBe(1);
  });

  it('a second initTracing returns the running handle (no double registration)', () => {
    expect(initTracing({ sampleRatio: 1 })).toBe(handle);
  });
});

describe('PlatformSampler at the edges', () => {
  it('ratio 1 keeps and ratio 0 drops every root trace (recorded when keepErrors)', () => {
    const ctx = ROOT_CONTEXT;
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(new PlatformSampler(1, true).shouldSample(ctx, id, 'x', SpanKind.SERVER).decision).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
    expect(new PlatformSampler(0, true).shouldSample(ctx, id, 'x', SpanKind.SERVER).decision).toBe(
      SamplingDecision.RECORD,
    );
    expect(new PlatformSampler(0, false).shouldSample(ctx, id, 'x', SpanKind.SERVER).decision).toBe(
      SamplingDecision.NOT_RECORD,
    );
  });
});

describe('PlatformSampler ratio decision', () => {
  const ids = Array.from({ length: 100_000 }, () => {
    let id = '';
    for (let i = 0; i < 4; i++)
      id += Math.floor(Math.random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return id;
  });

  it('samples each ratio within 5 standard deviations over 100,000 random trace ids', () => {
    for (const ratio of [0.01, 0.1, 0.5, 0.9]) {
      const sampler = new PlatformSampler(ratio, false);
      const n = ids.filter((id) => sampler.sampledRoot(id)).length;
      const sd = Math.sqrt(ids.length * ratio * (1 - ratio));
      expect(Math.abs(n - ids.length * ratio)).toBeLessThan(5 * sd);
    }
  });

  it('is decided by the trace id alone, and a trace kept at one ratio is kept at every higher one', () => {
    const low = new PlatformSampler(0.1, true);
    const high = new PlatformSampler(0.3, true);
    for (const id of ids.slice(0, 20_000)) {
      expect(low.sampledRoot(id)).toBe(new PlatformSampler(0.1, false).sampledRoot(id));
      if (low.sampledRoot(id)) expect(high.sampledRoot(id)).toBe(true);
    }
  });

  it('reads the randomness from the least significant 56 bits (the first 18 hex digits do not decide)', () => {
    const sampler = new PlatformSampler(0.5, false);
    const tail = 'f'.repeat(14);
    expect(sampler.sampledRoot(`${'0'.repeat(18)}${tail}`)).toBe(true);
    expect(sampler.sampledRoot(`${'f'.repeat(18)}${'0'.repeat(14)}`)).toBe(false);
  });
});
