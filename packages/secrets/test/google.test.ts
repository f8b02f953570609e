import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  googleSecretManagerProvider,
  SecretProviderSdkMissingError,
  SecretUnavailableError,
  secrets,
} from '../src/index.js';
import { type FakeGoogleSecretManager, startFakeGoogleSecretManager } from './google-server.js';

// The real @google-cloud/secret-manager (HTTP/1 fallback transport) against a loopback server
// of the access-version REST contract, authenticated by a google-auth-library OAuth2Client.
const require = createRequire(import.meta.url);
const { OAuth2Client } = require(
  require.resolve('google-auth-library', {
    paths: [require.resolve('@google-cloud/secret-manager')],
  }),
) as { OAuth2Client: new () => { setCredentials(c: object): void } };

let gcp: FakeGoogleSecretManager;
beforeAll(async () => {
  gcp = await startFakeGoogleSecretManager('demo-project');
});
afterAll(() => gcp.close());

function provider() {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'ya29.test', expiry_date: Date.now() + 3_600_000 });
  return googleSecretManagerProvider({
    project: 'demo-project',
    clientOptions: {
      fallback: true,
      apiEndpoint: '127.0.0.1',
      port: gcp.port,
      protocol: 'http',
      authClient,
    },
  });
}

describe('googleSecretManagerProvider (official SDK)', () => {
  it('reads the latest version, pinned versions and reports missing secrets as not found', async () => {
    gcp.put('db-password', 'pw-1');
    gcp.put('db-password', 'pw-2');
    const store = secrets({ providers: { gcp: provider() }, shutdown: false });
    expect(await store.getSecret('secret://gcp/db-password')).toBe('pw-2');
    expect(await store.getSecretVersion('secret://gcp/db-password', 1)).toBe('pw-1');
    await expect(store.getSecret('secret://gcp/nope')).rejects.toThrow(
      'Secret "secret://gcp/nope" not found',
    );
    await expect(store.getSecretVersion('secret://gcp/db-password', 7)).rejects.toThrow(
      /not found/,
    );
    expect(gcp.tokens.every((t) => t === 'Bearer ya29.test')).toBe(true);
    await store.close();
  });

  it('gives up on an unavailable service at the deadline (the SDK retries UNAVAILABLE) and recovers', async () => {
    gcp.put('api-key', 'k');
    const store = secrets({ providers: { gcp: provider() }, shutdown: false, timeoutMs: 1_000 });
    gcp.setDown(true);
    try {
      const error = await store.getSecret('secret://gcp/api-key').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretUnavailableError);
      expect((error as Error).message).toBe(
        'Secret "secret://gcp/api-key" unavailable: provider "gcp" failed (timed out after 1000 ms)',
      );
    } finally {
      gcp.setDown(false);
    }
    expect(await store.getSecret('secret://gcp/api-key')).toBe('k');
    await store.close();
  });

  it('says which package to install when the SDK is missing, and refuses a bad project', async () => {
    const store = secrets({
      providers: {
        gcp: googleSecretManagerProvider({ project: 'p' }, '@google-cloud/not-installed'),
      },
      shutdown: false,
    });
    await expect(store.getSecret('secret://gcp/x')).rejects.toBeInstanceOf(
      SecretProviderSdkMissingError,
    );
    await store.close();
    expect(() => googleSecretManagerProvider({ project: 'Bad/Project' })).toThrow(/project/);
  });
});
