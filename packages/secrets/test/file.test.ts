import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  envProvider,
  fileProvider,
  ProviderError,
  SecretNotFoundError,
  secrets,
} from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = mkdtempSync(join(tmpdir(), 'platform-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function until(check: () => boolean, ms = 3_000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(20);
}

describe('fileProvider (mounted secrets directory)', () => {
  it('reads one file per secret, trims one trailing newline, answers missing files as missing', async () => {
    const dir = join(root, 'plain');
    mkdirSync(join(dir, 'db'), { recursive: true });
    writeFileSync(join(dir, 'api-key'), 'k-123\n');
    writeFileSync(join(dir, 'db', 'password'), 'pw\n\n');
    const provider = fileProvider({ directory: dir });
    expect(await provider.read('api-key')).toEqual({ value: 'k-123' });
    expect(await provider.read('db/password')).toEqual({ value: 'pw\n' });
    expect(await provider.read('nope')).toBeUndefined();
    await expect(provider.read('db')).rejects.toThrow(ProviderError);
    await expect(provider.read('../outside')).rejects.toThrow(/escapes the secrets directory/);
  });

  it('refuses files over maxBytes without reading them', async () => {
    const dir = join(root, 'big');
    mkdirSync(dir);
    writeFileSync(join(dir, 'blob'), 'x'.repeat(2_000));
    await expect(fileProvider({ directory: dir, maxBytes: 1_000 }).read('blob')).rejects.toThrow(
      'blob is larger than 1000 bytes',
    );
  });

  it('re-reads a rewritten file and fires onRotate from the directory watch, before any poll', async () => {
    const dir = join(root, 'docker');
    mkdirSync(dir);
    writeFileSync(join(dir, 'webhook-secret'), 'whsec_one');
    const store = secrets({
      providers: { file: fileProvider({ directory: dir }) },
      rotationPollMs: 600_000,
      ttlMs: 600_000,
      shutdown: false,
    });
    const seen: string[] = [];
    store.onRotate('webhook-secret', (value) => void seen.push(value));
    expect(await store.getSecret('webhook-secret')).toBe('whsec_one');
    await sleep(50);
    writeFileSync(join(dir, 'webhook-secret'), 'whsec_two');
    await until(() => seen.length > 0);
    expect(seen).toEqual(['whsec_two']);
    expect(await store.getSecret('webhook-secret')).toBe('whsec_two');
    await store.close();
  });

  it("follows Kubernetes' atomic ..data symlink swap", async () => {
    const dir = join(root, 'k8s');
    mkdirSync(join(dir, '..2026_01'), { recursive: true });
    writeFileSync(join(dir, '..2026_01', 'db-password'), 'first');
    symlinkSync('..2026_01', join(dir, '..data'));
    symlinkSync(join('..data', 'db-password'), join(dir, 'db-password'));
    const store = secrets({
      providers: { file: fileProvider({ directory: dir }) },
      rotationPollMs: 600_000,
      shutdown: false,
    });
    const seen: string[] = [];
    store.onRotate('secret://file/db-password', (value) => void seen.push(value));
    await sleep(50);
    // What the kubelet does: write a new timestamped dir, then rename a new symlink over ..data.
    mkdirSync(join(dir, '..2026_02'));
    writeFileSync(join(dir, '..2026_02', 'db-password'), 'second');
    symlinkSync('..2026_02', join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
    await until(() => seen.length > 0);
    expect(seen).toEqual(['second']);
    await store.close();
  });
});

describe('envProvider', () => {
  it('maps paths to upper-case variable names with a prefix, empty counting as missing', async () => {
    const env = { APP_DB_MAIN_PASSWORD: 'p', APP_EMPTY: '' };
    const store = secrets({
      providers: { env: envProvider({ env, prefix: 'APP_' }) },
      shutdown: false,
    });
    expect(await store.getSecret('db/main-password')).toBe('p');
    await expect(store.getSecret('empty')).rejects.toBeInstanceOf(SecretNotFoundError);
    await store.close();
  });

  it('reads JSON-valued variables by #key', async () => {
    const env = { DB: JSON.stringify({ user: 'u', password: 'p' }), PLAIN: 'x' };
    const store = secrets({ providers: { env: envProvider({ env }) }, shutdown: false });
    expect(await store.getSecret('db#password')).toBe('p');
    await expect(store.getSecret('plain#password')).rejects.toThrow(
      /single value, it has no key "password"/,
    );
    await store.close();
  });

  it('falls through providers in order for plain names', async () => {
    const dir = join(root, 'order');
    mkdirSync(dir);
    writeFileSync(join(dir, 'only-in-file'), 'from-file');
    writeFileSync(join(dir, 'both'), 'from-file');
    const store = secrets({
      providers: {
        env: envProvider({ env: { BOTH: 'from-env' } }),
        file: fileProvider({ directory: dir }),
      },
      shutdown: false,
    });
    expect(await store.getSecret('both')).toBe('from-env');
    expect(await store.getSecret('only-in-file')).toBe('from-file');
    expect(await store.getSecret('secret://file/both')).toBe('from-file');
    await store.close();
  });
});
