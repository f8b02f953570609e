import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, LogLevels, logDestination } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/log-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'platform-logdest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flushed = (d: { flush(cb: () => void): void }) =>
  new Promise<void>((resolve) => d.flush(() => resolve()));

interface ChildRun {
  lines: string[];
  stderr: string;
  code: number | null;
}

/** Runs the log child; `readDelayMs` pauses reading its stdout to fill the pipe first. */
function runChild(args: string[], opts: { sigterm?: boolean; readDelayMs?: number } = {}) {
  return new Promise<ChildRun>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', fixture, ...args],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    if (opts.readDelayMs) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), opts.readDelayMs);
    }
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (opts.sigterm && err.includes('ready\n') && !child.killed) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ lines: out.split('\n').filter(Boolean), stderr: err, code }),
    );
  });
}

function expectAllLines(run: ChildRun, count: number) {
  expect(run.code).toBe(0);
  expect(run.lines).toHaveLength(count);
  const seen = run.lines.map((l) => (JSON.parse(l) as { i: number }).i);
  expect(seen).toEqual(Array.from({ length: count }, (_, i) => i));
}

describe('logDestination', () => {
  it('writes every line, in order, and flush() answers once they are on the file', async () => {
    const path = join(dir, 'order.ndjson');
    const dest = logDestination({ dest: path });
    for (let i = 0; i < 5000; i++) dest.write(`{"i":${i}}\n`);
    await flushed(dest);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual(
      Array.from({ length: 5000 }, (_, i) => i),
    );
    expect(dest.dropped).toBe(0);
    await new Promise<void>((r) => dest.end(r));
  });

  it('a flush under continuous writing answers for the lines before it, not after', async () => {
    const path = join(dir, 'continuous.ndjson');
    const dest = logDestination({ dest: path });
    let stop = false;
    let n = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 50; i++) dest.write(`{"n":${n++}}\n`);
      if (stop) clearInterval(writer);
    }, 0);
    await new Promise((r) => setTimeout(r, 20));
    const before = n;
    await flushed(dest);
    const onFile = readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
    stop = true;
    expect(onFile).toBeGreaterThanOrEqual(before);
    await new Promise<void>((r) => dest.end(r));
  });

  it('counts lines past maxBuffered as dropped instead of growing without bound', async () => {
    const path = join(dir, 'bounded.ndjson');
    const dest = logDestination({ dest: path, maxBuffered: 100 });
    const line = `${'y'.repeat(39)}\n`;
    for (let i = 0; i < 5; i++) dest.write(line); // 200 chars in one turn: 3 dropped
    expect(dest.dropped).toBe(3);
    await flushed(dest);
    expect(readFileSync(path, 'utf8')).toBe(line.repeat(2));
    await new Promise<void>((r) => dest.end(r));
  });

  it('rejects a bad fd or buffer size with an error naming the option', () => {
    expect(() => logDestination({ dest: -1 })).toThrow(/dest must be a file descriptor/);
    expect(() => logDestination({ dest: 1, maxBuffered: 0 })).toThrow(/maxBuffered/);
  });

  it('is what createLogger writes through when given as destination', async () => {
    const path = join(dir, 'logger.ndjson');
    const dest = logDestination({ dest: path });
    const log = createLogger({ destination: dest, module: 'file', levels: new LogLevels() });
    log.info({ orderId: 7 }, 'saved');
    await flushed(dest);
    const line = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', module: 'file', orderId: 7, msg: 'saved' });
    await new Promise<void>((r) => dest.end(r));
  });
});

describe('createLogger on stdout (child processes)', () => {
  it('process.exit() right after 3,000 lines loses none', async () => {
    expectAllLines(await runChild(['exit', '3000']), 3000);
  }, 20_000);

  it('a non-blocking stdout pipe that fills up (EAGAIN) loses none', async () => {
    // 20,000 lines of ~200 bytes are far more than a pipe holds while the parent is not reading
    const run = await runChild(['linger', '20000', '1'], { readDelayMs: 300 });
    expect(run.stderr).toBe('');
    expectAllLines(run, 20000);
  }, 30_000);

  it('SIGTERM drains the buffered lines through the shutdown registry', async () => {
    const run = await runChild(['sigterm', '5000', '1'], { sigterm: true });
    expectAllLines(run, 5000);
  }, 20_000);
});
