import { getContext, toResponse } from '@platform/core';
import {
  type ApiKeyAuthOptions,
  apiKeyCheck,
  type KeyRequest,
  scopeCheck,
} from './authenticate.js';

export interface FetchKeyOptions extends ApiKeyAuthOptions {
  /** Scopes the key must have as well. */
  scopes?: string[];
}

const keyRequestOf = (request: Request): KeyRequest => ({
  method: request.method,
  path: new URL(request.url).pathname,
  header: (name) => request.headers.get(name) ?? undefined,
});

/** The key (and scope) check over a Fetch `Request`: a refusal `Response`, or undefined. */
export function fetchKeyCheck(
  options: FetchKeyOptions,
): (request: Request) => Promise<Response | undefined> {
  const check = apiKeyCheck(options);
  const scopes = options.scopes?.length ? scopeCheck(options.scopes) : undefined;
  return async (request) => {
    const req = keyRequestOf(request);
    const context = getContext();
    const refusal = (await check(req, context)) ?? scopes?.(req, context);
    return refusal && toResponse(refusal);
  };
}

/** The scope check over a Fetch `Request`. */
export function fetchScopeCheck(scopes: string[]): (request: Request) => Response | undefined {
  const check = scopeCheck(scopes);
  return (request) => {
    const refusal = check(keyRequestOf(request), getContext());
    return refusal && toResponse(refusal);
  };
}
