/** What a provider returns for one secret: a string, or a map of keys (a Vault KV entry). */
export interface SecretRecord {
  value: string | Readonly<Record<string, string>>;
  /** The provider's version of this value (Vault's metadata.version), when it keeps versions. */
  version?: string;
  /** How long the provider says the value may be cached (a Vault lease), when it says. */
  ttlMs?: number;
}

export interface ReadOptions {
  /** A specific version; only asked of providers with `versions: true`. */
  version?: string;
  signal?: AbortSignal;
}

/**
 * A source of secrets. `read` resolves `undefined` when the secret does not exist and throws
 * (preferably a `ProviderError`) when the source cannot answer; it must never put a secret
 * value in an error message.
 */
export interface SecretProvider {
  /** Names the provider in errors and logs (`env`, `file`, `vault`). */
  readonly kind: string;
  /** Whether `read` honours `version`. */
  readonly versions: boolean;
  read(path: string, options?: ReadOptions): Promise<SecretRecord | undefined>;
  /**
   * Calls `onChange(path)` when the provider learns that a secret changed (a file rewritten),
   * so rotation callbacks fire before the next poll. Returns the unsubscribe function.
   */
  watch?(onChange: (path: string) => void): () => void;
  close?(): Promise<void>;
}
