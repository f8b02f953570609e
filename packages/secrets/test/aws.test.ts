import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsSecretsManagerProvider,
  SecretProviderSdkMissingError,
  SecretUnavailableError,
  secrets,
} from '../src/index.js';
import { type FakeSecretsManager, startFakeSecretsManager } from './aws-server.js';

// The real @aws-sdk/client-secrets-manager against a loopback server of the GetSecretValue contract.
let aws: FakeSecretsManager;
beforeAll(async () => {
  aws = await startFakeSecretsManager();
});
afterAll(() => aws.close());

const clientConfig = () => ({
  region: 'us-east-1',
  endpoint: aws.endpoint,
  credentials: {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  maxAttempts: 1,
});

describe('awsSecretsManagerProvider (official SDK)', () => {
  it('reads JSON secrets by #key, versions by id and by staging label, missing as not found', async () => {
    const v1 = aws.put('prod/db', JSON.stringify({ username: 'app', password: 'pw-1' }));
    const v2 = aws.put('prod/db', JSON.stringify({ username: 'app', password: 'pw-2' }));
    const store = secrets({
      providers: { aws: awsSecretsManagerProvider({ clientConfig: clientConfig() }) },
      shutdown: false,
    });
    expect(await store.getSecret('secret://aws/prod/db#password')).toBe('pw-2');
    expect(await store.getSecretVersion('secret://aws/prod/db#password', v1)).toBe('pw-1');
    expect(await store.getSecretVersion('secret://aws/prod/db#password', 'AWSPREVIOUS')).toBe(
      'pw-1',
    );
    expect(await store.getSecretVersion('secret://aws/prod/db#password', v2)).toBe('pw-2');
    await expect(store.getSecret('secret://aws/prod/none')).rejects.toThrow(
      'Secret "secret://aws/prod/none" not found',
    );
    expect(aws.targets.every((t) => t === 'secretsmanager.GetSecretValue')).toBe(true);
    await store.close();
  });

  it('reports a failing service as unavailable with the AWS error name, never a value', async () => {
    aws.put('prod/api', 'sk_live_plain');
    const store = secrets({
      providers: { aws: awsSecretsManagerProvider({ clientConfig: clientConfig() }) },
      shutdown: false,
    });
    aws.setDown(true);
    try {
      const error = await store.getSecret('secret://aws/prod/api').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretUnavailableError);
      expect((error as Error).message).toBe(
        'Secret "secret://aws/prod/api" unavailable: provider "aws" failed (AWS Secrets Manager InternalServiceError (500))',
      );
    } finally {
      aws.setDown(false);
    }
    expect(await store.getSecret('secret://aws/prod/api')).toBe('sk_live_plain');
    await store.close();
  });

  it('says which package to install when the SDK is missing', async () => {
    const provider = awsSecretsManagerProvider({}, '@aws-sdk/not-installed-client');
    const store = secrets({ providers: { aws: provider }, shutdown: false });
    const error = await store.getSecret('secret://aws/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretProviderSdkMissingError);
    expect((error as Error).message).toBe(
      'The AWS Secrets Manager secrets provider needs the optional peer dependency @aws-sdk/not-installed-client: npm install @aws-sdk/not-installed-client',
    );
    await store.close();
  });
});
