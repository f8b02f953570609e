import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/pretty-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function logOutput(env: Record<string, string>): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', fixture],
    { cwd: packageDir, env: { ...process.env, ...env }, timeout: 15_000 },
  );
  return stdout;
}

describe('createLogger output format', () => {
  it('writes JSON lines unless asked for pretty output', async () => {
    const out = await logOutput({ LOG_PRETTY: '0' });
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toMatchObject([
      { level: 'info', msg: 'order placed', orderId: 42, password: '[REDACTED]' },
      { level: 'warn', msg: 'stock low' },
    ]);
  }, 20_000);

  it('LOG_PRETTY=1 prints human-readable lines through pino-pretty, still redacted', async () => {
    const out = await logOutput({ LOG_PRETTY: '1', NO_COLOR: '1', FORCE_COLOR: '0' });
    // strip any colour codes pino-pretty may still emit
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes
    const text = out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toMatch(/INFO.*order placed/);
    expect(text).toMatch(/WARN.*stock low/);
    expect(text).toContain('orderId: 42');
    expect(text).not.toContain('hunter2');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).toThrow();
  }, 20_000);
});
