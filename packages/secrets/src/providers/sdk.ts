import { ConfigError } from '@platform/core';
import { SecretProviderSdkMissingError } from '../errors.js';

/**
 * Imports an optional peer dependency on first use, or throws a SecretProviderSdkMissingError
 * naming the package to install. Other import failures are rethrown as they are.
 */
export async function importSdk<T>(module: string, provider: string): Promise<T> {
  try {
    return (await import(module)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new SecretProviderSdkMissingError(provider, module);
    throw error;
  }
}

/** Loads once; a failed load is forgotten, so installing the SDK later helps without restart. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The ConfigError a provider factory throws for a bad option, naming it as core's parseOptions does. */
export function configError(factory: string, path: string, message: string): ConfigError {
  return new ConfigError(`Invalid ${factory} options:\n  - ${path}: ${message}`, [
    { path, message },
  ]);
}
