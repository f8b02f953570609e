import { ProviderError } from '../errors.js';
import type { SecretProvider } from '../provider.js';
import { configError, importSdk, lazy } from './sdk.js';

/** An `@azure/identity` credential (DefaultAzureCredential, ManagedIdentityCredential, ...). */
export interface AzureTokenCredential {
  getToken(
    scopes: string | string[],
    options?: object,
  ): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** The part of a `SecretClient` the provider calls. */
export interface AzureSecretClient {
  getSecret(
    name: string,
    options?: { version?: string; abortSignal?: AbortSignal },
  ): Promise<{ value?: string; properties: { version?: string } }>;
}

export interface AzureKeyVaultProviderOptions {
  /** The vault, e.g. `https://my-vault.vault.azure.net`. */
  vaultUrl?: string;
  /** How to authenticate; `new DefaultAzureCredential()` from `@azure/identity` in most apps. */
  credential?: AzureTokenCredential;
  /** `SecretClient` options (retryOptions, tlsOptions, ...). */
  clientOptions?: Record<string, unknown>;
  /** A `SecretClient` you built yourself; `vaultUrl`, `credential` and `clientOptions` are then ignored. */
  client?: AzureSecretClient;
}

interface AzureSdk {
  SecretClient: new (
    url: string,
    credential: AzureTokenCredential,
    options: object,
  ) => AzureSecretClient;
}

const SDK = '@azure/keyvault-secrets';

/**
 * Azure Key Vault secrets through the official SDK (`@azure/keyvault-secrets`, an optional
 * peer dependency, loaded on first read). The path is the secret name (letters, digits and
 * `-`); `?version=` takes a version id. Pass a `credential` from `@azure/identity`.
 *
 * @example
 * const azure = azureKeyVaultProvider({ vaultUrl: 'https://my-vault.vault.azure.net', credential: new DefaultAzureCredential() });
 * // secret://azure/db-password
 */
export function azureKeyVaultProvider(
  options: AzureKeyVaultProviderOptions,
  /** @internal the module to import; tests name a missing one */
  sdkModule = SDK,
): SecretProvider {
  if (!options.client && (!options.vaultUrl || !options.credential))
    throw configError(
      'azureKeyVaultProvider',
      'credential',
      'give vaultUrl and credential, or client',
    );
  const load = lazy(async () => {
    if (options.client) return options.client;
    const sdk = await importSdk<AzureSdk>(sdkModule, 'Azure Key Vault');
    return new sdk.SecretClient(
      options.vaultUrl!,
      options.credential!,
      options.clientOptions ?? {},
    );
  });
  return {
    kind: 'azure',
    versions: true,
    async read(path, readOptions = {}) {
      const client = await load();
      try {
        const secret = await client.getSecret(path, {
          ...(readOptions.version === undefined ? {} : { version: readOptions.version }),
          abortSignal: readOptions.signal,
        });
        return secret.value === undefined
          ? undefined
          : { value: secret.value, version: secret.properties.version };
      } catch (error) {
        const { statusCode, code } = error as { statusCode?: number; code?: string };
        if (statusCode === 404) return undefined;
        // Key Vault's messages name the secret, never its value; the status and code suffice.
        throw new ProviderError(
          `Azure Key Vault ${code ?? (error instanceof Error ? error.name : 'error')}${statusCode ? ` (${statusCode})` : ''}`,
          statusCode,
        );
      }
    },
  };
}
