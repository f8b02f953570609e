import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'platform-secrets-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VALUES = {
  STRIPE_SECRET_KEY: 'sk_live_51Hx9TqLkM2vP8wR3nZ',
  DATABASE_URL: 'postgres://app:Pa55w0rd-db@db:5432/app',
  SIGNING: 'q9Xv3LmT7pZ2rW8yK4nB6cH1',
};

function run(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // A clean environment: only what the test passes, plus what Node needs to start.
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', cli, ...args],
      {
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const leaks = (text: string) => Object.values(VALUES).filter((v) => text.includes(v));

describe('platform-secrets scan (child process)', () => {
  it('lists the variables of its environment that look like secrets, without their values', async () => {
    const { code, stdout, stderr } = await run(['scan'], {
      ...VALUES,
      PORT: '3000',
      MIGRATED_TOKEN: 'secret://vault/app/t',
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(
      '3 environment variable(s) in the environment look like they hold secrets (values not shown):',
    );
    expect(stdout).toMatch(/DATABASE_URL\s+URL with a password/);
    expect(stdout).toMatch(/SIGNING\s+high-entropy value/);
    expect(stdout).toMatch(/STRIPE_SECRET_KEY\s+secret-like name; high-entropy value/);
    expect(stdout).not.toContain('PORT');
    expect(stdout).not.toContain('MIGRATED_TOKEN');
    expect(leaks(stdout + stderr)).toEqual([]);
  });

  it('scans a dotenv file, prints JSON and fails under --strict', async () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      `# app\nexport API_TOKEN="${VALUES.SIGNING}"\nDATABASE_URL=${VALUES.DATABASE_URL}\nPORT=3000\n`,
    );
    const { code, stdout } = await run(['scan', '--file', file, '--json', '--strict']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      findings: [
        { name: 'API_TOKEN', reasons: ['secret-like name', 'high-entropy value'] },
        { name: 'DATABASE_URL', reasons: ['URL with a password'] },
      ],
    });
    expect(leaks(stdout)).toEqual([]);
  });

  it('says so when nothing is found, honours --ignore, and exits 2 on bad usage', async () => {
    const clean = await run(['scan', '--ignore', 'SIGNING'], {
      SIGNING: VALUES.SIGNING,
      PORT: '1',
    });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe(
      'No environment variable in the environment looks like it holds a secret.\n',
    );
    const bad = await run(['scan', '--file', join(dir, 'missing.env')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('platform-secrets: cannot read');
    expect(bad.stderr).toContain('ENOENT');
    const unknown = await run(['rotate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "rotate"');
  });
});
