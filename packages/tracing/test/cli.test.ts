import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'platform-logs-'));
const file = join(dir, 'app.log');
const T = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const lines = [
  {
    time: '2026-01-01T00:00:00.000Z',
    level: 'info',
    module: 'app',
    requestId: 'r1',
    trace_id: T,
    msg: 'loading order',
  },
  'not json: a stack trace line',
  {
    time: '2026-01-01T00:00:00.010Z',
    level: 'error',
    module: 'db',
    requestId: 'r1',
    trace_id: T,
    msg: 'query | failed',
  },
  {
    time: '2026-01-01T00:00:00.020Z',
    level: 'error',
    requestId: 'r1',
    trace_id: T,
    status: 500,
    msg: 'request completed',
  },
  {
    time: '2026-01-01T00:00:01.000Z',
    level: 'info',
    requestId: 'r2',
    status: 200,
    msg: 'request completed',
  },
  {
    time: '2026-01-01T00:00:02.000Z',
    level: 'warn',
    requestId: 'r3',
    status: 503,
    msg: 'request completed',
  },
];
writeFileSync(
  file,
  `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  args: string[],
  stdin?: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('platform-logs CLI', () => {
  it('inspect <id> prints the request timeline as Markdown from a file', async () => {
    const r = await run(['inspect', 'r1', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# Request r1');
    expect(r.out).toContain(`\`${T}\``);
    expect(r.out).toContain('| db | query \\| failed |');
    expect(r.out).not.toContain('r2');
  });

  it('errors --last N prints the last N error lines as NDJSON, reading stdin', async () => {
    const r = await run(
      ['errors', '--last', '2'],
      `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
    );
    expect(r.code).toBe(0);
    const out = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((l) => [l.requestId, l.status])).toEqual([
      ['r1', 500],
      ['r3', 503],
    ]);
  });

  it('trace <id> --format markdown and --format json', async () => {
    const md = await run(['trace', T, '--format', 'markdown', file]);
    expect(md.out).toContain('# Request r1');
    const json = await run(['trace', T, '--format', 'json', file]);
    expect(JSON.parse(json.out).logs).toHaveLength(3);
  });

  it('fails clearly on bad usage', async () => {
    expect((await run(['inspect'])).code).toBe(2);
    const bad = await run(['errors', '--last', 'ten', file]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--last must be a positive integer');
    expect((await run(['inspect', 'nobody', file])).code).toBe(1);
    expect((await run(['frobnicate'])).err).toContain('unknown command "frobnicate"');
  });
});
