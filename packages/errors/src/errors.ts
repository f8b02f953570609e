import type { ErrorCategory } from './categories.js';
import { PlatformError, type PlatformErrorOptions } from './platform-error.js';

/** Options of a named subclass: everything but the category, which the class fixes. */
export type CategoryErrorOptions = Omit<PlatformErrorOptions, 'category'>;

function withCategory(category: ErrorCategory, options?: CategoryErrorOptions) {
  return { ...options, category };
}

/**
 * 401: the caller is not authenticated (missing, expired or invalid credentials).
 *
 * @example
 * if (!session) throw new AuthenticationError();
 */
export class AuthenticationError extends PlatformError {
  override name = 'AuthenticationError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('authentication', options));
  }
}

/** 403: authenticated, but not allowed to do this. */
export class AuthorizationError extends PlatformError {
  override name = 'AuthorizationError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('authorization', options));
  }
}

/**
 * 400: the input is invalid; `errors` lists the fields.
 *
 * @example
 * throw new ValidationError('Invalid order', { errors: [{ path: 'qty', message: 'must be positive' }] });
 */
export class ValidationError extends PlatformError {
  override name = 'ValidationError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('validation', options));
  }
}

/** 404: the resource does not exist (or the caller may not know it does). */
export class NotFoundError extends PlatformError {
  override name = 'NotFoundError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('not_found', options));
  }
}

/** 409: the request conflicts with the current state (duplicate, stale version). */
export class ConflictError extends PlatformError {
  override name = 'ConflictError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('conflict', options));
  }
}

/** 413: the request body is too large. */
export class PayloadTooLargeError extends PlatformError {
  override name = 'PayloadTooLargeError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('payload_too_large', options));
  }
}

/** 415: the request body's media type or encoding is not supported. */
export class UnsupportedMediaTypeError extends PlatformError {
  override name = 'UnsupportedMediaTypeError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('unsupported_media_type', options));
  }
}

/**
 * 429: too many requests; set `retryAfter` (seconds) so clients know when to come back.
 *
 * @example
 * throw new RateLimitError(undefined, { retryAfter: 30 });
 */
export class RateLimitError extends PlatformError {
  override name = 'RateLimitError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('rate_limit', options));
  }
}

/** 429: a plan or budget quota for the period is used up. */
export class QuotaExceededError extends PlatformError {
  override name = 'QuotaExceededError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('quota_exceeded', options));
  }
}

/** 500 (503 with `status: 503, retryable: true` when the database is unavailable). */
export class DatabaseError extends PlatformError {
  override name = 'DatabaseError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('database', options));
  }
}

/** 502 by default: an AI provider failed (503 when it throttles us, 504 on timeout). */
export class AiServiceError extends PlatformError {
  override name = 'AiServiceError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('ai_service', options));
  }
}

/** 503: a dependency could not be reached (refused, reset, DNS). Retryable. */
export class NetworkError extends PlatformError {
  override name = 'NetworkError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('network', options));
  }
}

/** 504: an operation or dependency took too long. Retryable. */
export class TimeoutError extends PlatformError {
  override name = 'TimeoutError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('timeout', options));
  }
}

/** 500: a bug or an unexpected state. Never exposed by default. */
export class InternalError extends PlatformError {
  override name = 'InternalError';
  constructor(message?: string, options?: CategoryErrorOptions) {
    super(message, withCategory('internal', options));
  }
}

/** The named subclass for each category. */
export const ERROR_CLASSES: Readonly<
  Record<ErrorCategory, new (message?: string, options?: CategoryErrorOptions) => PlatformError>
> = {
  authentication: AuthenticationError,
  authorization: AuthorizationError,
  validation: ValidationError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  rate_limit: RateLimitError,
  quota_exceeded: QuotaExceededError,
  database: DatabaseError,
  ai_service: AiServiceError,
  network: NetworkError,
  timeout: TimeoutError,
  internal: InternalError,
};

/** Creates the named subclass for `category`, so categorized errors read as their class. */
export function createError(
  category: ErrorCategory,
  message?: string,
  options?: CategoryErrorOptions,
): PlatformError {
  return new ERROR_CLASSES[category](message, options);
}
