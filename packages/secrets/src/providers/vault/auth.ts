import type { Diagnostics } from '@platform/core';
import { ProviderError } from '../../errors.js';
import { type VaultHttpOptions, vaultFailure, vaultRequest } from './http.js';

export interface AppRoleCredentials {
  roleId: string;
  secretId: string;
  /** Where the AppRole auth method is mounted. Default `approle`. */
  mount?: string;
}

interface Lease {
  token: string;
  /** Seconds; 0 for a token that never expires. */
  duration: number;
  renewable: boolean;
}

/**
 * Holds the Vault token: logs in with AppRole when there is none, renews it (renew-self) at
 * two thirds of its lease, logs in again when renewal is refused or the token is revoked.
 * A static token is looked up once (lookup-self) to learn its TTL, then renewed the same way.
 */
export class VaultSession {
  private lease?: Lease;
  private pending?: Promise<string>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly http: VaultHttpOptions,
    private readonly credentials: { token: string } | { appRole: AppRoleCredentials },
    private readonly diag: Diagnostics,
  ) {}

  /** The current token, logging in (once, however many callers wait) when there is none. */
  token(): Promise<string> {
    if (this.lease) return Promise.resolve(this.lease.token);
    this.pending ??= this.acquire().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Vault refused the token (403): forget it, so the next call logs in again. True when that can help. */
  rejected(token: string): boolean {
    if (!('appRole' in this.credentials)) return false;
    if (this.lease?.token === token) this.drop();
    return true;
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private drop(): void {
    clearTimeout(this.timer);
    this.lease = undefined;
  }

  private async acquire(): Promise<string> {
    if ('token' in this.credentials) {
      const token = this.credentials.token;
      const found = await vaultRequest(this.http, 'GET', 'auth/token/lookup-self', { token });
      const data = found.body?.data as { ttl?: number; renewable?: boolean } | undefined;
      if (found.status === 200 && data)
        this.hold({ token, duration: data.ttl ?? 0, renewable: data.renewable ?? false });
      else this.hold({ token, duration: 0, renewable: false });
      return token;
    }
    return this.hold(await this.login(this.credentials.appRole));
  }

  private async login(appRole: AppRoleCredentials): Promise<Lease> {
    const response = await vaultRequest(
      this.http,
      'POST',
      `auth/${appRole.mount ?? 'approle'}/login`,
      {
        body: { role_id: appRole.roleId, secret_id: appRole.secretId },
      },
    );
    const auth = response.body?.auth as
      | { client_token?: string; lease_duration?: number; renewable?: boolean }
      | undefined;
    if (response.status !== 200 || !auth?.client_token)
      throw vaultFailure('AppRole login', response);
    return {
      token: auth.client_token,
      duration: auth.lease_duration ?? 0,
      renewable: auth.renewable ?? false,
    };
  }

  private hold(lease: Lease): string {
    this.drop();
    if (this.closed) throw new ProviderError('Vault provider is closed');
    this.lease = lease;
    if (lease.duration > 0) {
      this.timer = setTimeout(() => void this.renew(lease), (lease.duration * 1000 * 2) / 3);
      this.timer.unref();
    }
    return lease.token;
  }

  private async renew(lease: Lease): Promise<void> {
    try {
      if (!lease.renewable) throw new ProviderError('token is not renewable');
      const response = await vaultRequest(this.http, 'POST', 'auth/token/renew-self', {
        token: lease.token,
        body: {},
      });
      const auth = response.body?.auth as
        | { lease_duration?: number; renewable?: boolean }
        | undefined;
      if (response.status !== 200 || !auth) throw vaultFailure('token renewal', response);
      this.hold({
        token: lease.token,
        duration: auth.lease_duration ?? 0,
        renewable: auth.renewable ?? false,
      });
      this.diag.debug('SECRETS_VAULT_RENEWED', 'Vault token renewed', {
        ttlSeconds: auth.lease_duration,
      });
    } catch (error) {
      if (this.closed) return;
      if ('appRole' in this.credentials) {
        // Not renewable any more (max TTL reached) or refused: a fresh login replaces it.
        this.drop();
        this.token().catch((e: unknown) =>
          this.diag.error('SECRETS_VAULT_LOGIN', e, 'Vault AppRole login after renewal failed'),
        );
      } else this.diag.error('SECRETS_VAULT_RENEW', error, 'Vault token renewal failed');
    }
  }
}
