import { shutdown } from '@platform/core';
import { recordingMetrics } from '@platform/core/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envProvider,
  SecretError,
  SecretNotFoundError,
  SecretReferenceError,
  SecretUnavailableError,
  SecretVersionUnsupportedError,
  secrets,
  vaultProvider,
} from '../src/index.js';
import { capturedLogger } from './log-capture.js';
import { type FakeVault, startFakeVault } from './vault-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let vault: FakeVault;
beforeAll(async () => {
  vault = await startFakeVault();
});
afterAll(() => vault.close());

const reads = (path: string) => vault.count(`/v1/secret/data/${path}`);
const vaultStore = (
  extra: Parameters<typeof secrets>[0] extends infer O ? Partial<O> : never = {},
) =>
  secrets({
    providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
    shutdown: false,
    ...extra,
  });

describe('secrets(): caching', () => {
  it('serves from memory within the TTL and makes one provider call for concurrent misses', async () => {
    vault.put('c/once', { value: 'v1' });
    const store = vaultStore({ ttlMs: 60_000 });
    const values = await Promise.all(Array.from({ length: 25 }, () => store.getSecret('c/once')));
    expect(new Set(values)).toEqual(new Set(['v1']));
    expect(reads('c/once')).toBe(1);
    await store.getSecret('c/once');
    expect(reads('c/once')).toBe(1);
    await store.close();
  });

  it('re-reads after the TTL', async () => {
    vault.put('c/ttl', { value: 'a' });
    const store = vaultStore({ ttlMs: 100, refreshAheadMs: 0 });
    expect(await store.getSecret('c/ttl')).toBe('a');
    vault.put('c/ttl', { value: 'b' });
    expect(await store.getSecret('c/ttl')).toBe('a');
    await sleep(130);
    expect(await store.getSecret('c/ttl')).toBe('b');
    expect(reads('c/ttl')).toBe(2);
    await store.close();
  });

  it('refreshes ahead of expiry in the background while serving the cached value', async () => {
    vault.put('c/ahead', { value: 'old' });
    const store = vaultStore({ ttlMs: 400, refreshAheadMs: 300 });
    expect(await store.getSecret('c/ahead')).toBe('old');
    vault.put('c/ahead', { value: 'new' });
    await sleep(150); // inside the refresh-ahead window, still before expiry
    expect(await store.getSecret('c/ahead')).toBe('old'); // served at once, refresh started
    await sleep(50);
    expect(reads('c/ahead')).toBe(2);
    expect(await store.getSecret('c/ahead')).toBe('new'); // the refresh landed before expiry
    await store.close();
  });
});

describe('secrets(): metrics', () => {
  it('counts hits, misses, refreshes and stale reads through core metrics', async () => {
    const metrics = recordingMetrics();
    try {
      vault.put('c/metrics', { value: 'm' });
      const store = vaultStore({ ttlMs: 100, refreshAheadMs: 50, staleIfErrorMs: 1_000 });
      await store.getSecret('c/metrics'); // miss
      await store.getSecret('c/metrics'); // hit
      await sleep(60);
      await store.getSecret('c/metrics'); // refresh ahead
      await sleep(120);
      vault.setDown('sealed');
      await store.getSecret('c/metrics'); // miss, then stale
      vault.setDown(false);
      const count = (result: string) => metrics.value('platform_secrets_reads_total', { result });
      expect([
        count('miss'),
        count('hit'),
        count('refresh'),
        count('stale'),
        count('error'),
      ]).toEqual([2, 1, 1, 1, 0]);
      await store.close();
    } finally {
      vault.setDown(false);
      metrics.restore();
    }
  });
});

describe('secrets(): errors', () => {
  it('serves the last good value while the provider is down within staleIfErrorMs, then fails clearly', async () => {
    vault.put('c/stale', { value: 'last-good-value' });
    const log = capturedLogger();
    const store = vaultStore({
      ttlMs: 50,
      refreshAheadMs: 0,
      staleIfErrorMs: 300,
      logger: log.logger,
    });
    expect(await store.getSecret('c/stale')).toBe('last-good-value');
    vault.setDown('sealed');
    try {
      await sleep(70);
      expect(await store.getSecret('c/stale')).toBe('last-good-value');
      await sleep(320);
      const error = await store.getSecret('c/stale').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretUnavailableError);
      expect((error as Error).message).toBe(
        'Secret "c/stale" unavailable: provider "vault" failed (Vault read of secret/c/stale failed with 503: Vault is sealed)',
      );
      expect((error as SecretUnavailableError).retryable).toBe(true);
      expect((error as SecretUnavailableError).expose).toBe(false);
    } finally {
      vault.setDown(false);
    }
    expect(log.text()).toContain('SECRETS_STALE');
    expect(log.text()).toContain('"secretName":"c/stale"');
    expect(log.text()).not.toContain('last-good-value');
    await store.close();
  });

  it('does not hang on a provider that never answers: stale value first, then a timeout error', async () => {
    vault.put('c/hang', { value: 'kept' });
    const store = vaultStore({ ttlMs: 50, refreshAheadMs: 0, staleIfErrorMs: 400, timeoutMs: 150 });
    expect(await store.getSecret('c/hang')).toBe('kept');
    vault.setDown('hang');
    try {
      await sleep(60);
      let started = Date.now();
      expect(await store.getSecret('c/hang')).toBe('kept');
      expect(Date.now() - started).toBeLessThan(400);
      await sleep(400);
      started = Date.now();
      await expect(store.getSecret('c/hang')).rejects.toThrow(
        'Secret "c/hang" unavailable: provider "vault" failed (timed out after 150 ms)',
      );
      expect(Date.now() - started).toBeLessThan(400);
    } finally {
      vault.setDown(false);
    }
    await store.close();
  });

  it('fails with SecretUnavailableError when Vault is unreachable and nothing was cached', async () => {
    const store = secrets({
      providers: { vault: vaultProvider({ address: 'http://127.0.0.1:9', token: 't' }) },
      shutdown: false,
      timeoutMs: 2_000,
    });
    await expect(store.getSecret('c/x')).rejects.toThrow(
      /Vault unreachable at http:\/\/127.0.0.1:9/,
    );
    await store.close();
  });

  it('names a missing secret, a malformed reference and an unsupported version with typed errors', async () => {
    const store = secrets({
      providers: { env: envProvider({ env: { PRESENT: 'x' } }) },
      shutdown: false,
    });
    await expect(store.getSecret('absent')).rejects.toThrow(SecretNotFoundError);
    await expect(store.getSecret('absent')).rejects.toThrow(
      'Secret "absent" not found (providers env)',
    );
    await expect(store.getSecret('secret://vault/x')).rejects.toThrow(
      /no provider named "vault" \(configured: env\)/,
    );
    for (const bad of ['../etc/passwd', 'a//b', 'http://x/y', 'a/./b', 'a\\b', 'x?v=1', 'x#', ''])
      await expect(store.getSecret(bad), bad).rejects.toBeInstanceOf(SecretReferenceError);
    await expect(store.getSecretVersion('present', 2)).rejects.toBeInstanceOf(
      SecretVersionUnsupportedError,
    );
    expect(await store.getSecret('present')).toBe('x');
    await store.close();
  });

  it('never puts a secret value in an error or a log line, even when everything fails', async () => {
    const value = 'S3cr3t-VALUE-that-must-not-leak-9f8e7d';
    vault.put('c/leak', { password: value, user: 'svc' });
    const log = capturedLogger();
    const store = vaultStore({
      ttlMs: 30,
      refreshAheadMs: 20,
      staleIfErrorMs: 1_000,
      logger: log.logger,
      rotationPollMs: 20,
    });
    const messages: string[] = [];
    expect(await store.getSecret('c/leak#password')).toBe(value);
    store.onRotate('c/leak#password', () => {
      throw new Error('callback failed');
    });
    vault.put('c/leak', { password: `${value}-2`, user: 'svc' });
    await sleep(80);
    vault.setDown('sealed');
    await sleep(40);
    for (const name of [
      'c/leak#password',
      'c/leak',
      'c/leak#nokey',
      'c/leak?version=99#password',
    ]) {
      const e = await store.getSecret(name).catch((err: unknown) => err);
      if (e instanceof Error)
        messages.push(e.message, JSON.stringify(e), String((e as SecretError).secretName));
    }
    vault.setDown(false);
    for (const name of ['c/leak', 'c/leak#nokey']) {
      const e = await store.getSecret(name).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(SecretError);
      messages.push((e as Error).message);
    }
    await store.close();
    expect(messages.length).toBeGreaterThan(4);
    expect(log.lines.length).toBeGreaterThan(1);
    expect(log.text()).toContain('SECRETS_ROTATION_CALLBACK');
    expect(log.text()).toContain('SECRETS_STALE');
    expect(log.text()).toContain('"secretName":"c/leak#password"');
    expect(log.text()).toContain('SECRETS_ROTATION_POLL');
    for (const text of [...messages, log.text()]) expect(text).not.toContain(value);
  });
});

describe('secrets(): foreign provider errors', () => {
  it('keeps a foreign error message (which might quote a value) out of errors and log lines', async () => {
    const value = 'sk_live_quoted_in_a_foreign_error';
    const log = capturedLogger();
    const store = secrets({
      providers: {
        custom: {
          kind: 'custom',
          versions: false,
          read: async () => {
            throw new TypeError(`could not parse ${value}`);
          },
        },
      },
      logger: log.logger,
      shutdown: false,
    });
    const error = await store.getSecret('x').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Secret "x" unavailable: provider "custom" failed (TypeError)',
    );
    expect((error as Error).cause).toBeUndefined();
    store.onRotate('x', () => {});
    await sleep(30);
    expect(log.text()).toContain('SECRETS_ROTATION_INITIAL');
    expect(log.text()).not.toContain(value);
    await store.close();
  });
});

describe('secrets(): rotation and lifecycle', () => {
  it('calls onRotate with the new value and versions when a poll sees a change, without restart', async () => {
    vault.put('c/rotate', { password: 'first' });
    const store = vaultStore({ ttlMs: 60_000, rotationPollMs: 50 });
    const seen: { value: string; version?: string; previousVersion?: string }[] = [];
    store.onRotate('secret://vault/c/rotate#password', (value, info) => {
      seen.push({ value, version: info.version, previousVersion: info.previousVersion });
    });
    await sleep(120);
    expect(seen).toEqual([]);
    vault.put('c/rotate', { password: 'second' });
    await sleep(150);
    expect(seen).toEqual([{ value: 'second', version: '2', previousVersion: '1' }]);
    // the cache holds the rotated value too
    expect(await store.getSecret('secret://vault/c/rotate#password')).toBe('second');
    await store.close();
  });

  it('closes with core shutdown() and refuses reads afterwards', async () => {
    vault.put('c/close', { value: 'v' });
    const store = secrets({
      providers: { vault: vaultProvider({ address: vault.address, token: vault.issueToken() }) },
    });
    expect(await store.getSecret('c/close')).toBe('v');
    const report = await shutdown();
    expect(report.completed).toContain('@platform/secrets');
    await expect(store.getSecret('c/close')).rejects.toThrow('The secrets store is closed');
  });

  it('refuses bad options naming the field', () => {
    expect(() => secrets({ providers: {} })).toThrow(/providers: name at least one provider/);
    expect(() =>
      secrets({ providers: { env: envProvider() }, ttlMs: 100, refreshAheadMs: 100 }),
    ).toThrow(/refreshAheadMs: must be less than ttlMs/);
  });
});
