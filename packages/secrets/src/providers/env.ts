import type { SecretProvider } from '../provider.js';

export interface EnvProviderOptions {
  /** Where to read; default `process.env` (read at each call, so later changes are seen). */
  env?: Record<string, string | undefined>;
  /** Prepended to every variable name, e.g. `APP_`. */
  prefix?: string;
}

/** `db/main-password` → `DB_MAIN_PASSWORD`: upper case, every other character an underscore. */
export function envName(path: string, prefix = ''): string {
  return `${prefix}${path.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

/**
 * Secrets from environment variables: the path `db/password` is the variable `DB_PASSWORD`
 * (with `prefix` before it). An empty variable counts as missing. Keeps no versions.
 *
 * @example
 * const env = envProvider({ prefix: 'APP_' }); // getSecret('stripe-key') reads APP_STRIPE_KEY
 */
export function envProvider(options: EnvProviderOptions = {}): SecretProvider {
  return {
    kind: 'env',
    versions: false,
    async read(path) {
      const value = (options.env ?? process.env)[envName(path, options.prefix)];
      return value === undefined || value === '' ? undefined : { value };
    },
  };
}
