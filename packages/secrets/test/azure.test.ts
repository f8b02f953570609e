import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  azureKeyVaultProvider,
  SecretProviderSdkMissingError,
  SecretUnavailableError,
  secrets,
} from '../src/index.js';
import { type FakeKeyVault, startFakeKeyVault } from './azure-server.js';

// The real @azure/keyvault-secrets (challenge auth, TLS) against a loopback server of the
// Get Secret REST contract.
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.test';
let kv: FakeKeyVault;
beforeAll(async () => {
  kv = await startFakeKeyVault(TOKEN);
});
afterAll(() => kv.close());

const scopes: string[] = [];
const provider = () =>
  azureKeyVaultProvider({
    vaultUrl: kv.url,
    credential: {
      getToken: async (s) => {
        scopes.push(...(Array.isArray(s) ? s : [s]));
        return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    },
    clientOptions: {
      tlsOptions: { ca: kv.ca },
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    },
  });

describe('azureKeyVaultProvider (official SDK)', () => {
  it('answers the bearer challenge, reads the latest and pinned versions, missing as not found', async () => {
    const v1 = kv.put('db-password', 'pw-1');
    kv.put('db-password', 'pw-2');
    const store = secrets({ providers: { azure: provider() }, shutdown: false });
    expect(await store.getSecret('secret://azure/db-password')).toBe('pw-2');
    expect(await store.getSecretVersion('secret://azure/db-password', v1)).toBe('pw-1');
    await expect(store.getSecret('secret://azure/nope')).rejects.toThrow(
      'Secret "secret://azure/nope" not found',
    );
    expect(kv.authorizations[0]).toBe(''); // the challenge round
    expect(kv.authorizations).toContain(`Bearer ${TOKEN}`);
    expect(scopes).toContain('https://vault.azure.net/.default');
    await store.close();
  });

  it('reports an unavailable vault with its error code and recovers', async () => {
    kv.put('api-key', 'k');
    const store = secrets({ providers: { azure: provider() }, shutdown: false });
    kv.setDown(true);
    try {
      const error = await store.getSecret('secret://azure/api-key').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretUnavailableError);
      expect((error as Error).message).toBe(
        'Secret "secret://azure/api-key" unavailable: provider "azure" failed (Azure Key Vault ServiceUnavailable (503))',
      );
    } finally {
      kv.setDown(false);
    }
    expect(await store.getSecret('secret://azure/api-key')).toBe('k');
    await store.close();
  });

  it('says which package to install when the SDK is missing, and needs a vault and credential', async () => {
    const store = secrets({
      providers: {
        azure: azureKeyVaultProvider(
          { vaultUrl: 'https://x.vault.azure.net', credential: { getToken: async () => null } },
          '@azure/not-installed',
        ),
      },
      shutdown: false,
    });
    await expect(store.getSecret('secret://azure/x')).rejects.toBeInstanceOf(
      SecretProviderSdkMissingError,
    );
    await store.close();
    expect(() => azureKeyVaultProvider({ vaultUrl: 'https://x.vault.azure.net' })).toThrow(
      /credential/,
    );
  });
});
