import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/otlp-missing-child.ts', import.meta.url));
const blocker = fileURLToPath(new URL('./fixtures/no-otlp-exporter.mjs', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe('OTLP export without @opentelemetry/exporter-trace-otlp-http', () => {
  it('loads @platform/tracing, warns once naming the package, and ready() rejects', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', '--import', blocker, fixture, receiver.url],
      { cwd: packageDir, timeout: 20_000 },
    );
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(out.ready).toMatchObject({ name: 'OtlpExporterMissingError', typed: true });
    expect(out.ready.message).toContain(receiver.url);
    expect(out.ready.message).toContain('npm install @opentelemetry/exporter-trace-otlp-http@');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(
      /^PLATFORM_TRACING_OTLP_EXPORTER_MISSING: @platform\/tracing: OTLP export is configured/,
    );
    expect(stderr.match(/PLATFORM_TRACING_OTLP_EXPORTER_MISSING/g)).toHaveLength(1);
    expect(receiver.spans).toEqual([]);
  }, 30_000);
});
