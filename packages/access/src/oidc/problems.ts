import { type Answer, counter, problemAnswer } from '@platform/core';

const logins = counter({
  name: 'platform_access_oidc_logins_total',
  help: 'OIDC logins by provider and outcome (started, succeeded, or the refusal code).',
  labelNames: ['provider', 'outcome'],
});

/** Counts one login step's outcome. */
export function countLogin(provider: string, outcome: string): void {
  logins.inc({ provider, outcome });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * A refused login step as problem+json, never cached, with the refusal `code` as an extension
 * member (and counted under it). `cookies` clears the flow cookie where one was sent.
 */
export function refuse(
  provider: string,
  status: number,
  code: string,
  detail: string,
  cookies?: readonly string[],
): Answer {
  countLogin(provider, code);
  const answer = problemAnswer(
    status,
    { title: TITLES[status] ?? 'Error', detail, code },
    { 'cache-control': 'no-store' },
  );
  return cookies ? { ...answer, cookies } : answer;
}

/** True for errors of the transport (network, timeout), as opposed to the provider's refusals. */
export function isTransportError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  return err instanceof TypeError && err.message === 'fetch failed';
}
