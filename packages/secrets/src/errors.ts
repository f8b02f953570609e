import { PlatformError } from '@platform/errors';

/**
 * The base of every error this package throws. Messages name the secret (its reference, never
 * its value) and the provider; `expose` is false, so an error handler answering a request with
 * one says only "Internal server error".
 */
export class SecretError extends PlatformError {
  override name = 'SecretError';
  constructor(
    message: string,
    code: string,
    /** The name or reference of the secret (never its value). */
    readonly secretName: string | undefined,
    options: { retryable?: boolean; cause?: unknown; category?: 'internal' | 'network' } = {},
  ) {
    super(message, {
      category: options.category ?? 'internal',
      code,
      expose: false,
      retryable: options.retryable ?? false,
      details: secretName === undefined ? {} : { secretName },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

/** No provider holds the secret (or the version asked for). */
export class SecretNotFoundError extends SecretError {
  override name = 'SecretNotFoundError';
  constructor(secret: string, where: string) {
    super(`Secret "${secret}" not found (${where})`, 'secret_not_found', secret);
  }
}

/**
 * The provider could not be reached or refused the request, and no last good value was
 * within the stale-if-error window.
 */
export class SecretUnavailableError extends SecretError {
  override name = 'SecretUnavailableError';
  constructor(secret: string | undefined, provider: string, reason: string, cause?: unknown) {
    super(
      `Secret${secret === undefined ? '' : ` "${secret}"`} unavailable: provider "${provider}" failed (${reason})`,
      'secret_unavailable',
      secret,
      { retryable: true, cause, category: 'network' },
    );
  }
}

/** A secret name, tenant id or `secret://` reference that cannot be resolved as written. */
export class SecretReferenceError extends SecretError {
  override name = 'SecretReferenceError';
  constructor(reference: string, reason: string) {
    super(
      `Invalid secret reference "${reference}": ${reason}`,
      'secret_reference_invalid',
      undefined,
    );
  }
}

/** The version asked for, on a provider that keeps no versions. */
export class SecretVersionUnsupportedError extends SecretError {
  override name = 'SecretVersionUnsupportedError';
  constructor(secret: string, provider: string) {
    super(
      `Secret "${secret}": provider "${provider}" does not keep versions`,
      'secret_version_unsupported',
      secret,
    );
  }
}

/** Thrown by a provider for a failure the client may serve a stale value over. */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A cloud provider whose official SDK (an optional peer dependency) is not installed. */
export class SecretProviderSdkMissingError extends SecretError {
  override name = 'SecretProviderSdkMissingError';
  constructor(provider: string, sdk: string) {
    super(
      `The ${provider} secrets provider needs the optional peer dependency ${sdk}: npm install ${sdk}`,
      'secret_provider_sdk_missing',
      undefined,
    );
  }
}
