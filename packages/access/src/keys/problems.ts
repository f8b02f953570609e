import { Buffer } from 'node:buffer';
import type { Answer, RequestContext } from '@platform/core';
import {
  AuthenticationError,
  AuthorizationError,
  PlatformError,
  RateLimitError,
  stringifyProblem,
  toProblem,
} from '@platform/errors';

/** The one message every refused key gets: which part failed is never said. */
export const INVALID_KEY = 'The API key is missing, invalid, expired or revoked.';

export type KeyProblem =
  | 'unauthenticated'
  | 'forbidden'
  | 'throttled'
  | 'unavailable'
  | 'no-context';

function errorOf(kind: KeyProblem, detail: { scope?: string; retryAfter?: number }): PlatformError {
  switch (kind) {
    case 'unauthenticated':
      return new AuthenticationError(INVALID_KEY, { code: 'invalid_api_key', expose: true });
    case 'forbidden':
      return new AuthorizationError(`This API key lacks the scope "${detail.scope}".`, {
        code: 'insufficient_scope',
        expose: true,
      });
    case 'throttled':
      return new RateLimitError('Too many failed API key attempts.', {
        retryAfter: detail.retryAfter,
        expose: true,
      });
    case 'unavailable':
      return new PlatformError('API keys cannot be checked right now. Please try again.', {
        category: 'network',
        status: 503,
        code: 'api_keys_unavailable',
        expose: true,
        retryAfter: 1,
      });
    case 'no-context':
      return new PlatformError(
        'apiKeyAuth needs a @platform request context: mount requestContext() first.',
        {
          category: 'internal',
          status: 500,
          code: 'no_request_context',
        },
      );
  }
}

/**
 * Any error as core's answer: problem+json (bytes, so Fastify adds no charset), with
 * `WWW-Authenticate: Bearer` on a 401 and `Retry-After` where the error has one.
 */
export function errorProblem(
  error: unknown,
  request: { method: string; path: string },
  context: RequestContext | undefined,
): Answer {
  const problem = toProblem(
    error,
    { requestId: context?.requestId, instance: request.path },
    { authScheme: 'Bearer' },
  );
  const headers: Record<string, string> = {};
  for (const name in problem.headers) headers[name.toLowerCase()] = problem.headers[name] as string;
  return {
    status: problem.status,
    headers,
    body: request.method === 'HEAD' ? undefined : Buffer.from(stringifyProblem(problem.body)),
  };
}

/** A refusal of the key checks (401, 403, 429, 503) as core's answer. */
export function keyProblem(
  kind: KeyProblem,
  request: { method: string; path: string },
  context: RequestContext | undefined,
  detail: { scope?: string; retryAfter?: number } = {},
): Answer {
  return errorProblem(errorOf(kind, detail), request, context);
}
