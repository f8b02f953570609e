import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import * as Boom from '@hapi/boom';
import { errorCodes } from 'fastify';
import createHttpError from 'http-errors';
import OpenAI from 'openai';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { categorize } from './categorize.js';
import { NotFoundError, RateLimitError } from './errors.js';
import { isPlatformError } from './platform-error.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function pgError(code: string): Error {
  const err = new pg.DatabaseError('synthetic', 0, 'error');
  return Object.assign(err, { code, severity: 'FATAL' });
}

const withCode = (code: string, message = 'socket error') =>
  Object.assign(new Error(message), { code });

const headers = (init: Record<string, string>) => new Headers(init);

/** What Express 5's router throws for a route parameter that does not decode. */
function routerDecodeError(value: string): unknown {
  const err = caught(() => decodeURIComponent(value)) as URIError & { status?: number };
  err.message = `Failed to decode param '${value}'`;
  return Object.assign(err, { status: 400, statusCode: 400 });
}

interface Row {
  name: string;
  error: () => unknown;
  expect: {
    category: string;
    status: number;
    code: string;
    retryable?: boolean;
    retryAfter?: number;
  };
}

const rows: Row[] = [
  {
    name: 'zod 4 ZodError',
    error: () => caught(() => z.object({ email: z.email() }).parse({ email: 'x' })),
    expect: { category: 'validation', status: 400, code: 'validation' },
  },
  {
    name: 'zod 3 ZodError',
    error: () => caught(() => z3.object({ email: z3.string() }).parse({})),
    expect: { category: 'validation', status: 400, code: 'validation' },
  },
  {
    name: 'http-errors 404 keeps status and message',
    error: () => createHttpError(404, 'Order 42 not found'),
    expect: { category: 'not_found', status: 404, code: 'not_found' },
  },
  {
    name: 'http-errors 405 keeps its own code',
    error: () => createHttpError(405),
    expect: { category: 'validation', status: 405, code: 'method_not_allowed' },
  },
  {
    name: 'http-errors 429 with Retry-After header',
    error: () => createHttpError(429, { headers: { 'Retry-After': '12' } }),
    expect: { category: 'rate_limit', status: 429, code: 'rate_limit', retryAfter: 12 },
  },
  {
    name: 'boom 409',
    error: () => Boom.conflict('Already shipped'),
    expect: { category: 'conflict', status: 409, code: 'conflict' },
  },
  {
    name: 'boom 503',
    error: () => Boom.serverUnavailable('maintenance'),
    expect: { category: 'network', status: 503, code: 'service_unavailable' },
  },
  {
    name: 'fastify FST_ERR_CTP_INVALID_MEDIA_TYPE',
    error: () => new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/xml'),
    expect: { category: 'unsupported_media_type', status: 415, code: 'unsupported_media_type' },
  },
  {
    name: 'fastify FST_ERR_CTP_BODY_TOO_LARGE',
    error: () => new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
    expect: { category: 'payload_too_large', status: 413, code: 'payload_too_large' },
  },
  {
    name: 'fastify FST_ERR_CTP_EMPTY_JSON_BODY',
    error: () => new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(),
    expect: { category: 'validation', status: 400, code: 'invalid_body' },
  },
  {
    name: 'pg 08006 connection failure',
    error: () => pgError('08006'),
    expect: { category: 'database', status: 503, code: 'database_unavailable', retryable: true },
  },
  {
    name: 'pg 53300 too many connections',
    error: () => pgError('53300'),
    expect: { category: 'database', status: 503, code: 'database_unavailable', retryable: true },
  },
  {
    name: 'ECONNRESET',
    error: () => withCode('ECONNRESET'),
    expect: { category: 'network', status: 503, code: 'network', retryable: true },
  },
  {
    name: 'ENOTFOUND',
    error: () => withCode('ENOTFOUND'),
    expect: { category: 'network', status: 503, code: 'network' },
  },
  {
    name: 'UND_ERR_HEADERS_TIMEOUT inside a fetch failed TypeError',
    error: () => new TypeError('fetch failed', { cause: withCode('UND_ERR_HEADERS_TIMEOUT') }),
    expect: { category: 'timeout', status: 504, code: 'timeout', retryable: true },
  },
  {
    name: 'other UND_ERR_* inside a fetch failed TypeError',
    error: () => new TypeError('fetch failed', { cause: withCode('UND_ERR_SOCKET') }),
    expect: { category: 'network', status: 503, code: 'network' },
  },
  {
    name: 'ETIMEDOUT',
    error: () => withCode('ETIMEDOUT'),
    expect: { category: 'timeout', status: 504, code: 'timeout' },
  },
  {
    name: 'AbortSignal.timeout() reason (DOMException TimeoutError)',
    error: () => {
      const signal = AbortSignal.timeout(1);
      return sleep(50).then(() => signal.reason);
    },
    expect: { category: 'timeout', status: 504, code: 'timeout' },
  },
  {
    name: 'AbortController.abort() reason (DOMException AbortError)',
    error: () => {
      const ac = new AbortController();
      ac.abort();
      return ac.signal.reason;
    },
    expect: { category: 'timeout', status: 504, code: 'timeout' },
  },
  {
    name: 'OpenAI RateLimitError with retry-after-ms',
    error: () =>
      OpenAI.APIError.generate(
        429,
        { error: { type: 'requests', message: 'slow down' } },
        undefined,
        headers({ 'retry-after-ms': '1500' }),
      ),
    expect: {
      category: 'ai_service',
      status: 503,
      code: 'ai_rate_limited',
      retryable: true,
      retryAfter: 2,
    },
  },
  {
    name: 'OpenAI AuthenticationError',
    error: () =>
      OpenAI.APIError.generate(401, { error: { type: 'invalid_api_key' } }, undefined, headers({})),
    expect: { category: 'ai_service', status: 502, code: 'ai_misconfigured' },
  },
  {
    name: 'Anthropic overloaded (529)',
    error: () =>
      Anthropic.APIError.generate(
        529,
        { type: 'error', error: { type: 'overloaded_error' } },
        undefined,
        headers({}),
      ),
    expect: { category: 'ai_service', status: 502, code: 'ai_unavailable', retryable: true },
  },
  {
    name: 'Anthropic request timeout (408)',
    error: () => Anthropic.APIError.generate(408, undefined, 'timeout', headers({})),
    expect: { category: 'ai_service', status: 504, code: 'ai_timeout' },
  },
  {
    name: 'OpenAI APIConnectionTimeoutError',
    error: () => new OpenAI.APIConnectionTimeoutError(),
    expect: { category: 'ai_service', status: 504, code: 'ai_timeout' },
  },
  {
    name: 'a plain Error whose message sounds like a 404',
    error: () => new Error('not found: ECONNREFUSED unique constraint'),
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: 'an Error with a statusCode but no expose',
    error: () => Object.assign(new Error('upstream said 404'), { statusCode: 404 }),
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: "Express's router: a URIError tagged status 400 for a malformed route parameter",
    error: () => routerDecodeError('%E0%A4%A'),
    expect: { category: 'validation', status: 400, code: 'bad_request' },
  },
  {
    name: 'a built-in error tagged with statusCode only',
    error: () => Object.assign(new RangeError('bad range'), { statusCode: 416 }),
    expect: { category: 'validation', status: 416, code: 'range_not_satisfiable' },
  },
  {
    name: 'an untagged URIError',
    error: () => caught(() => decodeURIComponent('%E0%A4%A')),
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: 'a built-in error tagged with a 5xx status',
    error: () => Object.assign(new TypeError('x'), { status: 503 }),
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: 'a thrown string',
    error: () => 'boom',
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: 'null',
    error: () => null,
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
  {
    name: 'a Proxy whose getters throw',
    error: () =>
      new Proxy(new Error('x'), {
        get() {
          throw new Error('trap');
        },
      }),
    expect: { category: 'internal', status: 500, code: 'internal' },
  },
];

describe('categorize', () => {
  it.each(rows)('$name', async (row) => {
    const produced = row.error();
    const original = produced instanceof Promise ? await produced : produced;
    const err = categorize(original);
    expect(isPlatformError(err)).toBe(true);
    expect({ category: err.category, status: err.status, code: err.code }).toEqual({
      category: row.expect.category,
      status: row.expect.status,
      code: row.expect.code,
    });
    if (row.expect.retryable !== undefined) expect(err.retryable).toBe(row.expect.retryable);
    if (row.expect.retryAfter !== undefined) expect(err.retryAfter).toBe(row.expect.retryAfter);
    expect(err.cause).toBe(original);
    expect(err.expose).toBe(err.status < 500);
  });

  it('passes a PlatformError through unchanged', () => {
    const err = new RateLimitError(undefined, { retryAfter: 3 });
    expect(categorize(err)).toBe(err);
  });

  it('turns zod issues into field errors', () => {
    const zerr = caught(() =>
      z.object({ items: z.array(z.object({ sku: z.string() })) }).parse({ items: [{}] }),
    );
    expect(categorize(zerr).errors).toEqual([
      { path: 'items.0.sku', message: expect.any(String), code: 'invalid_type' },
    ]);
  });

  it("answers Express's decode error in our wording, never quoting the request", () => {
    const err = categorize(routerDecodeError('%E0%A4%A'));
    expect(err.message).not.toMatch(/decode|%E0/);
  });

  it('keeps an exposed http-errors message and hides an unexposed one', () => {
    expect(categorize(createHttpError(404, 'Order 42 not found')).message).toBe(
      'Order 42 not found',
    );
    const hidden = categorize(createHttpError(500, 'db password is hunter2'));
    expect(hidden.expose).toBe(false);
    expect(hidden.message).not.toContain('hunter2');
  });

  it('uses the named subclass for the category', () => {
    expect(categorize(createHttpError(404))).toBeInstanceOf(NotFoundError);
  });
});
