import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretReferenceError, secrets, vaultProvider } from '../src/index.js';
import { type FakeVault, startFakeVault } from './vault-server.js';

let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
  vault.put('tenants/acme/stripe', { value: 'sk_acme' });
  vault.put('tenants/globex/stripe', { value: 'sk_globex' });
  vault.put('customers/acme/keys', { webhook: 'wh_acme_1' });
  vault.put('customers/acme/keys', { webhook: 'wh_acme_2' });
});
afterAll(() => vault.close());

describe('getTenantSecret', () => {
  it('reads tenants/<tenant>/<name> by default, each tenant its own', async () => {
    const store = secrets({
      providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
      shutdown: false,
    });
    expect(await store.getTenantSecret('acme', 'stripe')).toBe('sk_acme');
    expect(await store.getTenantSecret('globex', 'stripe')).toBe('sk_globex');
    await expect(store.getTenantSecret('initech', 'stripe')).rejects.toThrow(
      'Secret "tenants/initech/stripe" not found (providers vault)',
    );
    await store.close();
  });

  it('follows a configured template, with keys and versions', async () => {
    const store = secrets({
      providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
      tenantPath: 'secret://vault/customers/{tenant}/{name}',
      shutdown: false,
    });
    expect(await store.getTenantSecret('acme', 'keys#webhook')).toBe('wh_acme_2');
    expect(await store.getTenantSecret('acme', 'keys?version=1#webhook')).toBe('wh_acme_1');
    await store.close();
  });

  it('refuses tenant ids that could leave their own path, before any provider call', async () => {
    const store = secrets({
      providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
      shutdown: false,
    });
    const before = vault.requests.length;
    for (const tenant of [
      '..',
      '.',
      '../globex',
      'a/b',
      'a\\b',
      '',
      'x'.repeat(129),
      '.hidden',
      'a b',
    ])
      await expect(store.getTenantSecret(tenant, 'stripe'), tenant).rejects.toBeInstanceOf(
        SecretReferenceError,
      );
    await expect(store.getTenantSecret('acme', '../globex/stripe')).rejects.toBeInstanceOf(
      SecretReferenceError,
    );
    await expect(
      store.getTenantSecret('acme', 'secret://vault/tenants/globex/stripe'),
    ).rejects.toThrow(/a tenant secret name is a plain name/);
    expect(vault.requests.length).toBe(before);
    await store.close();
  });

  it('refuses a template without {tenant} and {name}', () => {
    expect(() =>
      secrets({
        providers: { vault: vaultProvider({ address: vault.address, token: 't' }) },
        tenantPath: 'tenants/{name}',
      }),
    ).toThrow(/tenantPath: must contain \{tenant\} and \{name\}/);
  });
});
