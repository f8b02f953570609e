import { ProviderError } from '../errors.js';
import type { SecretProvider } from '../provider.js';
import { configError, importSdk, lazy } from './sdk.js';

/** The part of a `SecretManagerServiceClient` the provider calls. */
export interface GoogleSecretManagerClient {
  accessSecretVersion(
    request: { name: string },
    options?: { timeout?: number },
  ): Promise<
    [{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]
  >;
  close?(): Promise<void>;
}

export interface GoogleSecretManagerProviderOptions {
  /** The Google Cloud project (id or number) holding the secrets. */
  project: string;
  /** `SecretManagerServiceClient` options (credentials, apiEndpoint, fallback, ...). */
  clientOptions?: Record<string, unknown>;
  /** A client you built yourself; `clientOptions` is then ignored and `close()` leaves it open. */
  client?: GoogleSecretManagerClient;
}

interface GoogleSdk {
  SecretManagerServiceClient: new (options: Record<string, unknown>) => GoogleSecretManagerClient;
}

const SDK = '@google-cloud/secret-manager';
const NOT_FOUND = 5; // gRPC status code

/**
 * Google Secret Manager through the official SDK (`@google-cloud/secret-manager`, an optional
 * peer dependency, loaded on first read). The path is the secret id (`db-password`; Google
 * allows letters, digits, `_` and `-`); `?version=` takes a version number or an alias.
 * Without a version, `latest` is read.
 *
 * @example
 * const gcp = googleSecretManagerProvider({ project: 'my-project' });
 * // secret://gcp/db-password
 */
export function googleSecretManagerProvider(
  options: GoogleSecretManagerProviderOptions,
  /** @internal the module to import; tests name a missing one */
  sdkModule = SDK,
): SecretProvider {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(options.project))
    throw configError('googleSecretManagerProvider', 'project', 'must be a project id or number');
  const load = lazy(async () => {
    if (options.client) return options.client;
    const sdk = await importSdk<GoogleSdk>(sdkModule, 'Google Secret Manager');
    return new sdk.SecretManagerServiceClient(options.clientOptions ?? {});
  });
  let loaded: GoogleSecretManagerClient | undefined;
  return {
    kind: 'gcp',
    versions: true,
    async read(path, readOptions = {}) {
      const client = await load();
      loaded = client;
      const name = `projects/${options.project}/secrets/${path}/versions/${readOptions.version ?? 'latest'}`;
      let response: Awaited<ReturnType<GoogleSecretManagerClient['accessSecretVersion']>>[0];
      try {
        [response] = await client.accessSecretVersion({ name });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === NOT_FOUND) return undefined;
        // Google's messages name the resource, never the payload; the code is enough.
        throw new ProviderError(`Google Secret Manager error code ${String(code ?? 'unknown')}`);
      }
      const data = response.payload?.data;
      if (data === undefined || data === null) return undefined;
      const value = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
      return { value, version: response.name?.split('/').at(-1) };
    },
    async close() {
      if (!options.client) await loaded?.close?.();
    },
  };
}
