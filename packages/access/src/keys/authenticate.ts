import {
  type Answer,
  diagnostics,
  type PlatformLogger,
  type RequestContext,
  requestSlot,
} from '@platform/core';
import { connectionWatch } from '@platform/core/stores';
import type { ApiKeys, VerifiedKey } from './keys.js';
import { keyProblem } from './problems.js';

/** What `apiKeyAuth` needs of a limiter: `rateLimiter()` of @platform/ratelimit fits. */
export interface AttemptLimiter {
  check(
    key: string,
    options?: { cost?: number },
  ): Promise<{ allowed: boolean; remaining: number; retryAfterMs: number }>;
}

export interface ApiKeyAuthOptions {
  keys: ApiKeys;
  /** Let requests that carry no API key through untouched (a JWT guard may follow). Default false. */
  optional?: boolean;
  /** Header read before `Authorization: Bearer`. Default `x-api-key`. */
  header?: string;
  /**
   * Counts failed attempts per client IP (`ip:<address>`): once it has no units left,
   * requests from that address get 429 before any key is looked up. Successes spend nothing.
   */
  attempts?: AttemptLimiter;
  logger?: PlatformLogger;
}

/** What a binding hands the check: the request line and its headers. */
export interface KeyRequest {
  readonly method: string;
  readonly path: string;
  header(name: string): string | undefined;
}

/** The verified key of the current request, read by `requireScope` and by hosts. */
export const API_KEY = requestSlot<VerifiedKey>('access.apiKey');

/** The API key the current request was authenticated with, if any. */
export const apiKeyOf = (context: RequestContext | undefined): VerifiedKey | undefined =>
  API_KEY.get(context);

/** `undefined` to go on, or the answer to send instead. */
export type KeyCheck = (
  request: KeyRequest,
  context: RequestContext | undefined,
) => Promise<Answer | undefined>;

/**
 * The framework-neutral API key check every binding runs: reads `X-API-Key` or a Bearer
 * token with the keys' prefix, verifies it, and sets the actor (`type: 'apiKey'`), tenant
 * and key in the request context. Every refusal is the same 401; a store outage is a 503.
 */
export function apiKeyCheck(options: ApiKeyAuthOptions): KeyCheck {
  const { keys, attempts } = options;
  const header = (options.header ?? 'x-api-key').toLowerCase();
  const bearer = `bearer ${keys.prefix}_`;
  const diag = diagnostics('@platform/access', { logger: options.logger });
  // one error line per outage, not one per request while the store is down
  const outage = connectionWatch((error) =>
    diag.error('ACCESS_KEYS_UNAVAILABLE', error, 'API key store unavailable; refusing with 503'),
  );

  const presentedKey = (request: KeyRequest): string | undefined => {
    const direct = request.header(header);
    if (direct !== undefined) return direct.trim();
    const auth = request.header('authorization');
    return auth?.slice(0, bearer.length).toLowerCase() === bearer
      ? auth.slice(7).trim()
      : undefined;
  };

  return async (request, context) => {
    const presented = presentedKey(request);
    if (presented === undefined && options.optional) return undefined;
    if (!context) return keyProblem('no-context', request, context);
    const subject = `ip:${context.ip ?? 'unknown'}`;
    if (attempts) {
      const seen = await attempts.check(subject, { cost: 0 });
      if (!seen.allowed || seen.remaining <= 0) {
        const retryAfter = Math.max(1, Math.ceil(seen.retryAfterMs / 1000));
        return keyProblem('throttled', request, context, { retryAfter });
      }
    }
    const result = await keys.verify(presented);
    if (result.ok || result.reason !== 'unavailable') outage.ok();
    if (result.ok) {
      const key = result.key;
      context.actor = { type: 'apiKey', id: key.id, roles: [...key.roles], name: key.name };
      if (key.tenantId !== undefined) context.tenantId = key.tenantId;
      API_KEY.set(context, key);
      return undefined;
    }
    if (result.reason === 'unavailable') {
      outage.lost(result.error);
      return keyProblem('unavailable', request, context);
    }
    // the key itself is never logged: only its public id, when it parses
    diag.info('ACCESS_KEY_REFUSED', 'API key refused', {
      reason: result.reason,
      keyId: /^[a-z0-9]+_[a-z0-9]+_([0-9a-f]{16})_/.exec(presented ?? '')?.[1],
      ip: context.ip,
    });
    if (attempts) await attempts.check(subject);
    return keyProblem('unauthenticated', request, context);
  };
}

/** True when `granted` covers `needed`: equal, `*`, or a `prefix:*` wildcard. */
export function scopeCovers(granted: readonly string[], needed: string): boolean {
  for (const g of granted) {
    if (g === needed || g === '*') return true;
    if (g.endsWith(':*') && needed.startsWith(g.slice(0, -1))) return true;
  }
  return false;
}

/**
 * The neutral check behind every binding's `requireScope`: 401 without a verified key,
 * 403 when the key lacks any of the scopes.
 */
export function scopeCheck(
  scopes: readonly string[],
): (request: KeyRequest, context: RequestContext | undefined) => Answer | undefined {
  if (scopes.length === 0) throw new TypeError('requireScope: name at least one scope');
  return (request, context) => {
    const key = API_KEY.get(context);
    if (!key) return keyProblem('unauthenticated', request, context);
    const missing = scopes.find((s) => !scopeCovers(key.scopes, s));
    return missing === undefined
      ? undefined
      : keyProblem('forbidden', request, context, { scope: missing });
  };
}
