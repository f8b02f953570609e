import { ProviderError } from '../errors.js';
import type { SecretProvider } from '../provider.js';
import { importSdk, lazy } from './sdk.js';

/** The part of a `SecretsManagerClient` the provider calls. */
export interface AwsSecretsManagerClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy?(): void;
}

export interface AwsSecretsManagerProviderOptions {
  /** `SecretsManagerClient` options (region, endpoint, credentials, ...). Default: the SDK's defaults. */
  clientConfig?: Record<string, unknown>;
  /** A client you built yourself; `clientConfig` is then ignored and `close()` leaves it open. */
  client?: AwsSecretsManagerClient;
}

interface AwsSdk {
  SecretsManagerClient: new (config: Record<string, unknown>) => AwsSecretsManagerClient;
  GetSecretValueCommand: new (input: Record<string, string>) => unknown;
}

interface GetSecretValueOutput {
  SecretString?: string;
  SecretBinary?: Uint8Array;
  VersionId?: string;
}

const SDK = '@aws-sdk/client-secrets-manager';
/** Staging labels (`AWSCURRENT`, `AWSPREVIOUS`, your own upper-case labels) versus version ids (UUIDs). */
const STAGE = /^[A-Z][A-Z0-9_]*$/;

/**
 * AWS Secrets Manager through the official SDK (`@aws-sdk/client-secrets-manager`, an
 * optional peer dependency, loaded on first read). The path is the secret's name
 * (`prod/db`); a JSON secret's fields are read with `#key`. `?version=` takes a version id
 * or a staging label such as `AWSPREVIOUS`.
 *
 * @example
 * const aws = awsSecretsManagerProvider({ clientConfig: { region: 'eu-west-1' } });
 * // secret://aws/prod/db#password
 */
export function awsSecretsManagerProvider(
  options: AwsSecretsManagerProviderOptions = {},
  /** @internal the module to import; tests name a missing one */
  sdkModule = SDK,
): SecretProvider {
  const load = lazy(async () => {
    const sdk = await importSdk<AwsSdk>(sdkModule, 'AWS Secrets Manager');
    return {
      sdk,
      client: options.client ?? new sdk.SecretsManagerClient(options.clientConfig ?? {}),
    };
  });
  let loaded: AwsSecretsManagerClient | undefined;
  return {
    kind: 'aws',
    versions: true,
    async read(path, readOptions = {}) {
      const { sdk, client } = await load();
      loaded = client;
      const { version } = readOptions;
      const input: Record<string, string> = { SecretId: path };
      if (version !== undefined)
        input[STAGE.test(version) ? 'VersionStage' : 'VersionId'] = version;
      let out: GetSecretValueOutput;
      try {
        out = (await client.send(new sdk.GetSecretValueCommand(input), {
          abortSignal: readOptions.signal,
        })) as GetSecretValueOutput;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        if (name === 'ResourceNotFoundException') return undefined;
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode;
        // The SDK's messages are AWS's own wording, never the secret; still only the name is kept.
        throw new ProviderError(
          `AWS Secrets Manager ${name}${status ? ` (${status})` : ''}`,
          status,
        );
      }
      const value =
        out.SecretString ??
        (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('base64') : undefined);
      return value === undefined ? undefined : { value, version: out.VersionId };
    },
    async close() {
      if (!options.client) loaded?.destroy?.();
    },
  };
}
