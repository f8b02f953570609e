import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvError } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  entropy,
  envProvider,
  fileProvider,
  parseEnvWithSecrets,
  resolveSecretRefs,
  scanEnv,
  secrets,
  vaultProvider,
} from '../src/index.js';
import { type FakeVault, startFakeVault } from './vault-server.js';

let vault: FakeVault;
const dir = mkdtempSync(join(tmpdir(), 'platform-secrets-env-'));
beforeAll(async () => {
  vault = await startFakeVault();
  vault.put('app/db', { url: 'postgres://app:vault-pw@db:5432/app', password: 'vault-pw' });
  writeFileSync(join(dir, 'stripe-key'), 'sk_live_file\n');
});
afterAll(async () => {
  await vault.close();
  rmSync(dir, { recursive: true, force: true });
});

const store = () =>
  secrets({
    providers: {
      env: envProvider(),
      vault: vaultProvider({ address: vault.address, token: vault.issueToken() }),
      file: fileProvider({ directory: dir }),
    },
    shutdown: false,
  });

describe('resolveSecretRefs / parseEnvWithSecrets', () => {
  it('replaces secret:// values through the providers and leaves the rest as they are', async () => {
    const s = store();
    const env = {
      PORT: '3000',
      DATABASE_URL: 'secret://vault/app/db#url',
      STRIPE_KEY: 'secret://file/stripe-key',
      UNSET: undefined,
    };
    expect(await resolveSecretRefs(env, s)).toEqual({
      PORT: '3000',
      DATABASE_URL: 'postgres://app:vault-pw@db:5432/app',
      STRIPE_KEY: 'sk_live_file',
      UNSET: undefined,
    });
    expect(env.DATABASE_URL).toBe('secret://vault/app/db#url');
    await s.close();
  });

  it('makes the move from a plain variable to Vault a configuration change for a parseEnv schema', async () => {
    const schema = z.object({ PORT: z.coerce.number(), DATABASE_URL: z.url() });
    const s = store();
    const before = await parseEnvWithSecrets(schema, s, {
      PORT: '1',
      DATABASE_URL: 'postgres://app:pw@db/app',
    });
    const after = await parseEnvWithSecrets(schema, s, {
      PORT: '1',
      DATABASE_URL: 'secret://vault/app/db#url',
    });
    expect(before).toEqual({ PORT: 1, DATABASE_URL: 'postgres://app:pw@db/app' });
    expect(after).toEqual({ PORT: 1, DATABASE_URL: 'postgres://app:vault-pw@db:5432/app' });
    await s.close();
  });

  it('names every unresolved variable in one EnvError, without values', async () => {
    const s = store();
    const error = await resolveSecretRefs(
      {
        A: 'secret://vault/app/missing',
        B: 'secret://nowhere/x',
        C: 'secret://vault/../etc',
        D: 'secret://vault/app/db#password',
      },
      s,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Invalid environment: 3 secret reference\(s\) unresolved \(A, B, C\):/,
    );
    expect(message).toContain(
      'A: Secret "secret://vault/app/missing" not found (provider "vault")',
    );
    expect(message).toContain(
      'B: Invalid secret reference "secret://nowhere/x": no provider named "nowhere"',
    );
    expect(message).not.toContain('vault-pw');
    expect((error as EnvError).issues.map((i) => i.path)).toEqual(['A', 'B', 'C']);
    await s.close();
  });
});

describe('scanEnv', () => {
  it('flags secret-like names, URLs with passwords and high-entropy tokens, and nothing else', () => {
    const findings = scanEnv({
      STRIPE_SECRET_KEY: 'sk_live_x',
      GITHUB_TOKEN: 'ghp_x',
      DB_PASSWORD: 'hunter2',
      DATABASE_URL: 'postgres://app:pw@db:5432/app',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SESSION_SIGNING: 'q9Xv3LmT7pZ2rW8yK4nB6cH1',
      MIGRATED_KEY: 'secret://vault/app/key',
      PORT: '3000',
      PATH: '/usr/local/bin:/usr/bin',
      PWD: '/work',
      NODE_ENV: 'production',
      EMPTY_TOKEN: '',
      LONG_WORDS: 'abcdefghijabcdefghij',
    });
    expect(findings).toEqual([
      { name: 'DATABASE_URL', reasons: ['URL with a password'] },
      { name: 'DB_PASSWORD', reasons: ['secret-like name'] },
      { name: 'GITHUB_TOKEN', reasons: ['secret-like name'] },
      { name: 'SESSION_SIGNING', reasons: ['high-entropy value'] },
      { name: 'STRIPE_SECRET_KEY', reasons: ['secret-like name'] },
    ]);
    expect(
      scanEnv({ GIT_SHA: 'a3f9c2e7b1d04f6a8c5e9b2d7f1a3c6e8b0d4f2a' }, { ignore: ['GIT_SHA'] }),
    ).toEqual([]);
  });

  it('computes Shannon entropy in bits per character', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
    expect(entropy('0123456789abcdef')).toBe(4);
  });
});
