import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PinnableIdGenerator, RandomHexIds } from './server-span.js';

describe('RandomHexIds', () => {
  it('draws valid, distinct W3C ids across many pool refills', () => {
    const ids = new RandomHexIds();
    const traces = new Set<string>();
    const spans = new Set<string>();
    // 20,000 pairs use 960,000 hex digits: about 117 pools of 8,192
    for (let i = 0; i < 20_000; i++) {
      const t = ids.traceId();
      const s = ids.spanId();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      expect(isValidTraceId(t) && isValidSpanId(s)).toBe(true);
      traces.add(t);
      spans.add(s);
    }
    expect(traces.size).toBe(20_000);
    expect(spans.size).toBe(20_000);
  });

  it('spreads digits evenly (no fixed or biased positions)', () => {
    const ids = new RandomHexIds();
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++)
      for (const c of ids.traceId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    // 160,000 digits: 10,000 expected per digit, sd ~97
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(Math.abs(n - 10_000)).toBeLessThan(800);
  });
});

describe('PinnableIdGenerator', () => {
  it('hands out the pinned ids once, then random ones', () => {
    const gen = new PinnableIdGenerator();
    const [t, s] = gen.pinned('a'.repeat(32), 'b'.repeat(16), () => [
      gen.generateTraceId(),
      gen.generateSpanId(),
    ]);
    expect([t, s]).toEqual(['a'.repeat(32), 'b'.repeat(16)]);
    expect(gen.generateTraceId()).not.toBe('a'.repeat(32));
    expect(gen.generateSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });
});
