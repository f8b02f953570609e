import { describe, expect, it } from 'vitest';
import { safeUrl } from './fetch.js';
import { usageFromResponse } from './genai.js';
import { sqlOperation } from './sql.js';
import { buildTimeline, type SpanRecord, timelineToMarkdown } from './timeline.js';

describe('safeUrl', () => {
  it('drops credentials and redacts secret-looking query values', () => {
    expect(
      safeUrl('https://bob:pw@api.example.com/v1/x?token=abc&page=2&API_KEY=k&X-Amz-Signature=s'),
    ).toBe(
      'https://api.example.com/v1/x?token=REDACTED&page=2&API_KEY=REDACTED&X-Amz-Signature=REDACTED',
    );
    expect(safeUrl('http://example.com/plain')).toBe('http://example.com/plain');
    expect(safeUrl('not a url')).toBe('[invalid url]');
  });
});

describe('sqlOperation', () => {
  it('finds the operation, after a CTE too', () => {
    expect(sqlOperation('select 1')).toBe('SELECT');
    expect(sqlOperation('  INSERT INTO t VALUES ($1)')).toBe('INSERT');
    expect(sqlOperation('WITH x AS (SELECT 1) UPDATE t SET a = 1')).toBe('UPDATE');
  });
});

describe('usageFromResponse', () => {
  it('reads Anthropic messages usage, cache reads counted as input (semconv)', () => {
    expect(
      usageFromResponse({
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        stop_reason: 'end_turn',
        usage: { input_tokens: 30, output_tokens: 9, cache_read_input_tokens: 20 },
      }),
    ).toEqual({
      // Anthropic's input_tokens (30) excludes the 20 cache reads; gen_ai.usage.input_tokens
      // counts every input token.
      inputTokens: 50,
      outputTokens: 9,
      cacheReadInputTokens: 20,
      responseModel: 'claude-sonnet-4-5',
      responseId: 'msg_1',
      finishReasons: ['end_turn'],
    });
    expect(usageFromResponse(null)).toEqual({});
  });
});

describe('timeline', () => {
  it('nests spans under their parents and renders offsets in Markdown', () => {
    const span = (
      id: string,
      parent: string | undefined,
      start: number,
      name: string,
    ): SpanRecord => ({
      traceId: 't1',
      spanId: id,
      parentSpanId: parent,
      name,
      kind: 'internal',
      start,
      durationMs: 2,
      status: 'unset',
      attributes: id === 'a' ? { 'platform.request_id': 'r1' } : {},
    });
    const t = buildTimeline(
      [{ requestId: 'r1', msg: 'hi', time: 1 }],
      [
        span('c', 'b', 1002, 'db'),
        span('a', undefined, 1000, 'GET /x'),
        span('b', 'a', 1001, 'service'),
      ],
      { requestId: 'r1' },
    );
    expect(t.traceIds).toEqual(['t1']);
    expect(t.spans[0]!.children[0]!.children[0]!.name).toBe('db');
    const md = timelineToMarkdown(t);
    expect(md).toContain('- `GET /x` (internal) +0.0 ms');
    expect(md).toContain('    - `db` (internal) +2.0 ms, 2.00 ms');
  });
});

describe('createRedactor', () => {
  it('censors secret keys at any depth (case-insensitive) without mutating the input', async () => {
    const { createRedactor } = await import('./redact.js');
    const redact = createRedactor(['password', 'authorization']);
    const input = {
      a: 1,
      headers: { Authorization: 'x', accept: '*/*' },
      deep: { l2: { l3: { password: 'p' } } },
    };
    const out = redact(input);
    expect(out).toEqual({
      a: 1,
      headers: { Authorization: '[REDACTED]', accept: '*/*' },
      deep: { l2: { l3: { password: '[REDACTED]' } } },
    });
    expect(input.headers.Authorization).toBe('x');
    const clean = { a: 1, b: { c: 2 } };
    expect(redact(clean)).toBe(clean);
  });

  it('gives the same answer for a key the second time (answers are remembered)', async () => {
    const { createRedactor } = await import('./redact.js');
    const redact = createRedactor(['apiKey']);
    for (let i = 0; i < 2; i++) {
      expect(redact({ APIKEY: 'a', api_key: 'b', ApiKey: 'c', apikeys: 'd' })).toEqual({
        APIKEY: '[REDACTED]',
        api_key: 'b',
        ApiKey: '[REDACTED]',
        apikeys: 'd',
      });
    }
  });
});
