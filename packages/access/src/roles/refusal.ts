import { type Answer, counter, problemAnswer, type RequestContext } from '@platform/core';

/** Where a request was refused: proving who it is, or being allowed to do this. */
export type RefusalStage = 'authenticate' | 'authorize' | 'refresh';

const refusals = counter({
  name: 'platform_access_refusals_total',
  help: 'Requests @platform/access refused, by stage (authenticate, authorize, refresh) and reason code.',
  labelNames: ['stage', 'reason'],
});

const TITLES: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

/**
 * A refused credential or permission: a status (401 no valid identity, 403 identity without
 * the right, 503 the key source or session store could not answer), a stable `code` and a
 * `detail` safe to show the caller (it never quotes the credential).
 *
 * @example
 * throw new AccessError(401, 'token_expired', 'The token expired at 2026-01-01T00:00:00Z.');
 */
export class AccessError extends Error {
  override readonly name = 'AccessError';
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/** Counts one refusal in `platform_access_refusals_total`. */
export function countRefusal(stage: RefusalStage, reason: string): void {
  refusals.inc({ stage, reason });
}

/**
 * The problem+json answer for a refusal, with `code` and `requestId`; a 401 carries
 * `WWW-Authenticate: Bearer` with the RFC 6750 error, as OAuth clients expect.
 */
export function refusalAnswer(error: AccessError, context: RequestContext | undefined): Answer {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (error.status === 401) {
    const kind = error.code === 'credentials_missing' ? '' : ', error="invalid_token"';
    headers['www-authenticate'] = `Bearer realm="api"${kind}`;
  } else if (error.status === 503) {
    headers['retry-after'] = '1';
  }
  return problemAnswer(
    error.status,
    {
      title: TITLES[error.status] ?? 'Error',
      detail: error.detail,
      code: error.code,
      ...(context ? { requestId: context.requestId } : {}),
    },
    headers,
  );
}

/**
 * True for an AccessError from any copy of this package: a bundler (Next builds each route
 * on its own) can load two copies, and an `instanceof` of the other copy's class is false.
 */
export function isAccessError(err: unknown): err is AccessError {
  if (err instanceof AccessError) return true;
  const e = err as Partial<AccessError> | null;
  return (
    err instanceof Error &&
    e?.name === 'AccessError' &&
    (e.status === 401 || e.status === 403 || e.status === 503) &&
    typeof e.code === 'string'
  );
}

/** Anything thrown that is not an AccessError becomes a 503 that names no internals. */
export function asAccessError(err: unknown): AccessError {
  if (isAccessError(err)) return err;
  return new AccessError(503, 'access_unavailable', 'Identity could not be checked right now.', {
    cause: err,
  });
}
