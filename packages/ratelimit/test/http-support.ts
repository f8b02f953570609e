import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { describeWait, memoryStore, type RateLimiter, rateLimiter } from '../src/index.js';

export async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The limiters every binding test uses: 3/min per user (per IP when anonymous), 1/min for AI. */
export function limiters(extra: { legacyHeaders?: boolean } = {}): {
  api: RateLimiter;
  ai: RateLimiter;
} {
  return {
    api: rateLimiter({
      name: 'api',
      policies: { name: 'per-user', limit: 3, window: '1m', by: 'user' },
      store: memoryStore(),
      log: false,
      ...extra,
    }),
    ai: rateLimiter({
      name: 'ai',
      policies: { name: 'ai-per-user', limit: 1, window: '1m', by: 'user', unit: 'AI calls' },
      store: memoryStore(),
      log: false,
    }),
  };
}

export const as = (user: string) => ({ 'x-user': user });

/** Asserts a complete 429: problem body, friendly message, Retry-After agreeing with RateLimit. */
export async function expectTooMany(
  res: Response,
  message: RegExp,
  violated: string[],
  maxWaitSeconds = 120,
) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const retryAfter = Number(res.headers.get('retry-after'));
  // sliding window: after a burst, the previous window's weight keeps counting into the next
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxWaitSeconds).toBe(
    true,
  );
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    status: 429,
    title: 'Too many requests',
    retryAfter,
    'violated-policies': violated,
  });
  expect(body.detail).toMatch(message);
  expect(body.detail).toMatch(new RegExp(`Try again in ${describeWait(retryAfter * 1000)}\\.$`));
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(body).not.toHaveProperty('debug');
  expect(res.headers.get('ratelimit')).toBe(`"${violated[0]}";r=0;t=${retryAfter}`);
  return body;
}
