import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

const fixture = fileURLToPath(new URL('./fixtures/sigterm-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe('SIGTERM', () => {
  it('flushes the buffered spans to the OTLP receiver before the process exits', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', fixture, receiver.url],
      {
        cwd: packageDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const exit = await new Promise<{ code: number | null }>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('ready\n') && receiver.spans.length === 0 && !child.killed)
          child.kill('SIGTERM');
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code }));
    });
    expect(err).toBe('');
    expect(exit.code).toBe(0);
    expect(out).toContain('"completed":["tracing"]');
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `buffered ${i}`).sort(),
    );
    expect(receiver.spans[0]!.resource['service.name']).toBe('sigterm-child');
  }, 20_000);
});
