import { AiServiceError, TimeoutError } from '../errors.js';
import type { PlatformError } from '../platform-error.js';
import {
  classNames,
  isHeadersLike,
  isHttpStatus,
  isObject,
  type Loose,
  retryAfterFrom,
} from '../shape.js';

/**
 * OpenAI / Anthropic SDK errors (and SDKs generated the same way): an `APIError`
 * subclass, or a numeric `status` next to the provider's `error.type` or response `headers`.
 * Our clients did nothing wrong, so none of these is answered with the provider's 4xx.
 */
export function fromAiProvider(e: Loose): PlatformError | undefined {
  const names = classNames(e);
  const isApiError = names.some((n) => n.endsWith('APIError'));
  const { status } = e;
  if (!isHttpStatus(status)) {
    if (!isApiError) return undefined;
    if (names.includes('APIUserAbortError')) return new TimeoutError(undefined, { cause: e });
    if (names.includes('APIConnectionTimeoutError')) {
      return new AiServiceError(undefined, {
        code: 'ai_timeout',
        status: 504,
        retryable: true,
        cause: e,
      });
    }
    if (names.includes('APIConnectionError')) {
      return new AiServiceError(undefined, {
        code: 'ai_unavailable',
        status: 503,
        retryable: true,
        cause: e,
      });
    }
    return undefined;
  }
  const providerShaped =
    isApiError ||
    (isObject(e.error) && typeof e.error.type === 'string') ||
    isHeadersLike(e.headers);
  if (!providerShaped) return undefined;

  if (status === 429) {
    return new AiServiceError(undefined, {
      code: 'ai_rate_limited',
      status: 503,
      severity: 'medium',
      retryable: true,
      retryAfter: retryAfterFrom(e.headers),
      cause: e,
    });
  }
  if (status === 401 || status === 403) {
    return new AiServiceError(undefined, {
      code: 'ai_misconfigured',
      severity: 'critical',
      cause: e,
    });
  }
  if (status === 408) {
    return new AiServiceError(undefined, {
      code: 'ai_timeout',
      status: 504,
      retryable: true,
      cause: e,
    });
  }
  if (status >= 500) {
    return new AiServiceError(undefined, { code: 'ai_unavailable', retryable: true, cause: e });
  }
  return new AiServiceError(undefined, { code: 'ai_request_rejected', cause: e });
}
