import { type DiagnosticsOptions, diagnostics } from '@platform/core';
import { ProviderError } from '../../errors.js';
import type { SecretProvider, SecretRecord } from '../../provider.js';
import { configError } from '../sdk.js';
import { type AppRoleCredentials, VaultSession } from './auth.js';
import { type VaultHttpOptions, vaultFailure, vaultRequest } from './http.js';

export type { AppRoleCredentials } from './auth.js';

export interface VaultProviderOptions extends DiagnosticsOptions {
  /** Vault's address, e.g. `https://vault.internal:8200`. */
  address: string;
  /** A token (`VAULT_TOKEN`); renewed while renewable. Give this or `appRole`. */
  token?: string;
  /** AppRole credentials: the provider logs in, renews, and logs in again when needed. */
  appRole?: AppRoleCredentials;
  /** Where the KV v2 engine is mounted. Default `secret`. */
  mount?: string;
  /** Vault Enterprise / HCP namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** The fetch to use (a custom agent or CA). Default the global fetch. */
  fetch?: typeof fetch;
}

interface KvData {
  data?: Record<string, unknown> | null;
  metadata?: { version?: number; destroyed?: boolean; deletion_time?: string } | null;
}

function toRecord(body: Record<string, unknown> | undefined): SecretRecord | undefined {
  const kv = body?.data as KvData | undefined;
  if (!kv?.data) return undefined; // deleted or destroyed version
  const value: Record<string, string> = {};
  for (const [key, v] of Object.entries(kv.data))
    value[key] = typeof v === 'string' ? v : JSON.stringify(v);
  const lease = typeof body?.lease_duration === 'number' ? body.lease_duration : 0;
  return {
    value,
    version: kv.metadata?.version === undefined ? undefined : String(kv.metadata.version),
    ...(lease > 0 ? { ttlMs: lease * 1000 } : {}),
  };
}

/**
 * HashiCorp Vault KV version 2 over its HTTP API: token or AppRole auth with token renewal,
 * versions (`?version=`), optional namespace. A secret's keys are selected with `#key`
 * (`secret://vault/db/main#password`); without one, the key `value` or the only key is used.
 *
 * @example
 * const vault = vaultProvider({
 *   address: 'https://vault.internal:8200',
 *   appRole: { roleId: process.env.VAULT_ROLE_ID!, secretId: process.env.VAULT_SECRET_ID! },
 * });
 */
export function vaultProvider(options: VaultProviderOptions): SecretProvider {
  if (!/^https?:\/\/[^/]+$/.test(options.address.replace(/\/+$/, '')))
    throw configError('vaultProvider', 'address', 'must be http(s)://host[:port]');
  if (!options.token === !options.appRole)
    throw configError('vaultProvider', 'token', 'give exactly one of token and appRole');
  const http: VaultHttpOptions = {
    address: options.address.replace(/\/+$/, ''),
    namespace: options.namespace,
    fetch: options.fetch ?? globalThis.fetch,
  };
  const mount = (options.mount ?? 'secret').replace(/^\/+|\/+$/g, '');
  const diag = diagnostics('@platform/secrets', options);
  const session = new VaultSession(
    http,
    options.token ? { token: options.token } : { appRole: options.appRole! },
    diag,
  );

  const readOnce = async (path: string, version: string | undefined, signal?: AbortSignal) => {
    const token = await session.token();
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const query = version === undefined ? '' : `?version=${encodeURIComponent(version)}`;
    return {
      token,
      response: await vaultRequest(http, 'GET', `${mount}/data/${encoded}${query}`, {
        token,
        signal,
      }),
    };
  };

  return {
    kind: 'vault',
    versions: true,
    async read(path, readOptions = {}) {
      let { token, response } = await readOnce(path, readOptions.version, readOptions.signal);
      if (response.status === 403 && session.rejected(token))
        ({ response } = await readOnce(path, readOptions.version, readOptions.signal));
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw vaultFailure(`read of ${mount}/${path}`, response);
      const record = toRecord(response.body);
      if (record === undefined && response.body?.data === undefined)
        throw new ProviderError(`Vault read of ${mount}/${path} answered without data`);
      return record;
    },
    async close() {
      session.close();
    },
  };
}
