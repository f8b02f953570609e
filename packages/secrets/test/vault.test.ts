import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, secrets, vaultProvider } from '../src/index.js';
import { type FakeVault, startFakeVault } from './vault-server.js';

// Tested against Vault's documented HTTP API contract (test/vault-server.ts), not a real Vault.
let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(() => vault.close());

describe('vaultProvider (KV v2 over HTTP)', () => {
  it('reads the latest version with a token, and a pinned version with ?version=', async () => {
    vault.put('app/db', { password: 'pw-one', user: 'app' });
    vault.put('app/db', { password: 'pw-two', user: 'app' });
    const provider = vaultProvider({ address: vault.address, token: vault.issueToken() });
    expect(await provider.read('app/db')).toEqual({
      value: { password: 'pw-two', user: 'app' },
      version: '2',
    });
    expect(await provider.read('app/db', { version: '1' })).toEqual({
      value: { password: 'pw-one', user: 'app' },
      version: '1',
    });
    expect(await provider.read('app/nothing')).toBeUndefined();
    expect(await provider.read('app/db', { version: '9' })).toBeUndefined();
    await provider.close?.();
  });

  it('answers a soft-deleted version as missing', async () => {
    vault.put('app/deleted', { value: 'a' });
    vault.put('app/deleted', { value: 'b' });
    vault.deleteVersion('app/deleted', 1);
    const provider = vaultProvider({ address: vault.address, token: vault.issueToken() });
    expect(await provider.read('app/deleted', { version: '1' })).toBeUndefined();
    expect((await provider.read('app/deleted'))?.version).toBe('2');
  });

  it('logs in with AppRole once for concurrent reads, and again after the token is revoked', async () => {
    vault.put('app/key', { value: 'k1' });
    const before = vault.count('/v1/auth/approle/login');
    const provider = vaultProvider({
      address: vault.address,
      appRole: { roleId: vault.approle.roleId, secretId: vault.approle.secretId },
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => provider.read('app/key')));
    expect(results.map((r) => r?.value)).toEqual(Array(10).fill({ value: 'k1' }));
    expect(vault.count('/v1/auth/approle/login') - before).toBe(1);
    const used = vault.requests.findLast((r) => r.path === '/v1/secret/data/app/key')!.token!;
    vault.revoke(used);
    expect(await provider.read('app/key')).toMatchObject({ value: { value: 'k1' } });
    expect(vault.count('/v1/auth/approle/login') - before).toBe(2);
    await provider.close?.();
  });

  it('refuses wrong AppRole credentials with a clear error naming neither secret', async () => {
    const provider = vaultProvider({
      address: vault.address,
      appRole: { roleId: vault.approle.roleId, secretId: 'wrong-secret-id' },
    });
    const error = await provider.read('app/key').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toMatch(
      /AppRole login failed with 400: invalid role or secret ID/,
    );
    expect((error as Error).message).not.toContain('wrong-secret-id');
  });

  it('renews a token with a TTL at two thirds of its lease (renew-self), keeping it valid', async () => {
    vault.put('app/renewed', { value: 'r' });
    const token = vault.issueToken(1, true);
    const provider = vaultProvider({ address: vault.address, token });
    const before = vault.count('/v1/auth/token/renew-self');
    await provider.read('app/renewed');
    await new Promise((r) => setTimeout(r, 2_300));
    expect(vault.count('/v1/auth/token/renew-self') - before).toBeGreaterThanOrEqual(2);
    // Without renewal the 1-second token would have expired by now.
    expect(await provider.read('app/renewed')).toMatchObject({ value: { value: 'r' } });
    await provider.close?.();
  });

  it('logs in again when an AppRole token can no longer be renewed', async () => {
    vault.put('app/relogin', { value: 'x' });
    vault.approle.tokenTtl = 1;
    vault.approle.renewable = false;
    const before = vault.count('/v1/auth/approle/login');
    const provider = vaultProvider({
      address: vault.address,
      appRole: { roleId: vault.approle.roleId, secretId: vault.approle.secretId },
    });
    await provider.read('app/relogin');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await provider.read('app/relogin')).toMatchObject({ value: { value: 'x' } });
    expect(vault.count('/v1/auth/approle/login') - before).toBeGreaterThanOrEqual(2);
    vault.approle.tokenTtl = 3600;
    vault.approle.renewable = true;
    await provider.close?.();
  });

  it('sends X-Vault-Namespace when a namespace is set', async () => {
    const ns = await startFakeVault({ namespace: 'team-a', mount: 'kv' });
    try {
      ns.put('svc', { value: 'in-namespace' });
      const store = secrets({
        providers: {
          vault: vaultProvider({
            address: ns.address,
            token: ns.issueToken(),
            namespace: 'team-a',
            mount: 'kv',
          }),
        },
        shutdown: false,
      });
      expect(await store.getSecret('secret://vault/svc')).toBe('in-namespace');
      expect(ns.requests.every((r) => r.namespace === 'team-a')).toBe(true);
      await store.close();
    } finally {
      await ns.close();
    }
  });

  it('selects keys with #key, the key "value" or the only key, and versions through the client', async () => {
    vault.put('app/multi', { user: 'u1', password: 'p1' });
    vault.put('app/multi', { user: 'u1', password: 'p2' });
    const store = secrets({
      providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
      shutdown: false,
    });
    expect(await store.getSecret('secret://vault/app/multi#password')).toBe('p2');
    expect(await store.getSecretVersion('secret://vault/app/multi#password', 1)).toBe('p1');
    expect(await store.getSecret('app/multi?version=1#password')).toBe('p1');
    await expect(store.getSecret('secret://vault/app/multi')).rejects.toThrow(
      /holds several keys \(user, password\): name one with #<key>/,
    );
    expect(await store.getSecret('secret://vault/app/key')).toBe('k1');
    await store.close();
  });

  it('refuses an address that is not http(s)://host[:port] and a missing auth', () => {
    expect(() => vaultProvider({ address: 'vault:8200', token: 't' })).toThrow(/address/);
    expect(() => vaultProvider({ address: 'http://127.0.0.1:1' })).toThrow(/token and appRole/);
  });
});
