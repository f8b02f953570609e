export * from './client/index.js';
export * from './env/index.js';
export {
  ProviderError,
  SecretError,
  SecretNotFoundError,
  SecretProviderSdkMissingError,
  SecretReferenceError,
  SecretUnavailableError,
  SecretVersionUnsupportedError,
} from './errors.js';
export type { ReadOptions, SecretProvider, SecretRecord } from './provider.js';
export {
  type AwsSecretsManagerClient,
  type AwsSecretsManagerProviderOptions,
  awsSecretsManagerProvider,
} from './providers/aws.js';
export {
  type AzureKeyVaultProviderOptions,
  type AzureSecretClient,
  type AzureTokenCredential,
  azureKeyVaultProvider,
} from './providers/azure.js';
export { type EnvProviderOptions, envName, envProvider } from './providers/env.js';
export { type FileProviderOptions, fileProvider } from './providers/file.js';
export {
  type GoogleSecretManagerClient,
  type GoogleSecretManagerProviderOptions,
  googleSecretManagerProvider,
} from './providers/google.js';
export {
  type AppRoleCredentials,
  type VaultProviderOptions,
  vaultProvider,
} from './providers/vault/index.js';
export {
  checkTenant,
  formatSecretRef,
  isSecretRef,
  parseSecretRef,
  type SecretRef,
} from './reference.js';
