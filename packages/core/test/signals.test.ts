import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
}

/** Starts the fixture, waits until it has installed its handlers, sends `signal`. */
function runChild(mode: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', fixture, mode],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let signalled = false;
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (!signalled && out.includes('ready\n')) {
      signalled = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => {
      if (!signalled) reject(new Error(`child exited before it was ready: ${err || out}`));
      else resolve({ code, signal: sig, lines: out.trim().split('\n') });
    });
  });
}

const report = (lines: string[]) => {
  const line = lines.find((l) => l.startsWith('report:'));
  return line && JSON.parse(line.slice(line.indexOf('{')));
};

describe('installSignalHandlers (child process)', { timeout: 30_000 }, () => {
  it('runs the hooks newest first on SIGTERM and exits 0', async () => {
    const exit = await runChild('ok');
    expect(exit.code).toBe(0);
    expect(exit.lines).toEqual([
      'ready',
      'hook:flush',
      'hook:stop-keepalive',
      expect.stringMatching(/^report:SIGTERM:/),
    ]);
    expect(report(exit.lines)).toEqual({
      completed: ['flush', 'stop-keepalive'],
      failed: [],
      timedOut: [],
    });
  });

  it('handles SIGINT the same way', async () => {
    const exit = await runChild('ok', 'SIGINT');
    expect(exit.code).toBe(0);
    expect(exit.lines).toContain('hook:stop-keepalive');
    expect(exit.lines.at(-1)).toMatch(/^report:SIGINT:/);
  });

  it('exits 1 when a hook fails, after running the others', async () => {
    const exit = await runChild('fail');
    expect(exit.code).toBe(1);
    expect(exit.lines).toContain('hook:flush');
    expect(exit.lines).toContain('hook:stop-keepalive');
    expect(report(exit.lines).failed.map((f: { name: string }) => f.name)).toEqual(['broken']);
  });

  it('exits 1 at the deadline when a hook never settles, even with nothing else keeping the process alive', async () => {
    const exit = await runChild('hang');
    expect(exit.code).toBe(1);
    expect(exit.lines).toContain('hook:stop-keepalive');
    expect(report(exit.lines)).toEqual({
      completed: ['flush', 'stop-keepalive'],
      failed: [],
      timedOut: ['hangs'],
    });
  });

  it('does not exit by itself with exit: false', async () => {
    const exit = await runChild('no-exit');
    // The report says a hook failed, but nothing calls process.exit: the process ends
    // on its own once its last handle is closed, with code 0.
    expect(report(exit.lines).failed).toHaveLength(1);
    expect(exit.code).toBe(0);
  });

  it('replaces the handlers when installed twice', async () => {
    const exit = await runChild('twice');
    expect(exit.code).toBe(0);
    expect(exit.lines).not.toContain('report:first-install');
    expect(exit.lines.filter((l) => l === 'hook:flush')).toHaveLength(1);
  });

  it('restores the default signal behaviour when uninstalled', async () => {
    const exit = await runChild('uninstalled');
    expect(exit.signal).toBe('SIGTERM');
    expect(exit.code).toBeNull();
    expect(exit.lines).toEqual(['ready']);
  });
});
