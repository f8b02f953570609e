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
