import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a consumer runs: the tsup build (`pnpm test` runs before `pnpm build`, so this
// builds its own copy into a temporary folder) under the package.json that pnpm packs
// (publishConfig applied), required and imported by a plain Node process.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsup = join(
  createRequire(import.meta.url).resolve('tsup/package.json'),
  '..',
  'dist/cli-default.js',
);

function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

/** The manifest `pnpm pack` writes: publishConfig's fields replace the top-level ones. */
function publishedManifest(): Record<string, unknown> {
  const { publishConfig, ...manifest } = JSON.parse(
    readFileSync(join(packageDir, 'package.json'), 'utf8'),
  ) as Record<string, unknown> & { publishConfig?: Record<string, unknown> };
  const { access: _access, ...fields } = publishConfig ?? {};
  return { ...manifest, ...fields };
}

let root: string;
let child: ChildProcess | undefined;
let ports: { cjs: number; esm: number };

beforeAll(async () => {
  // Under packages/core/node_modules so that the build finds express, zod and
  // fastify-plugin the way an installed package finds its dependencies.
  const cache = join(packageDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  root = mkdtempSync(join(cache, 'built-'));
  const installed = join(root, 'node_modules', '@platform', 'core');
  await run(process.execPath, [tsup, '--out-dir', join(installed, 'dist'), '--no-dts'], packageDir);
  writeFileSync(join(installed, 'package.json'), JSON.stringify(publishedManifest()));
  copyFileSync(
    fileURLToPath(new URL('./fixtures/built-express.cjs', import.meta.url)),
    join(root, 'app.cjs'),
  );
  child = spawn(process.execPath, ['app.cjs'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  ports = JSON.parse(line.toString());
}, 120_000);

afterAll(() => {
  child?.kill();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function seen(binding: 'cjs' | 'esm', reader: 'cjs' | 'esm', id: string) {
  const res = await fetch(`http://127.0.0.1:${ports[binding]}/${reader}`, {
    headers: { 'x-request-id': id },
  });
  expect(res.headers.get('x-request-id')).toBe(id);
  return ((await res.json()) as { requestId: string | null }).requestId;
}

describe('the built package in a plain Node process', () => {
  it("require('@platform/core').getContext() sees the context require('@platform/core/express') opened", async () => {
    expect(await seen('cjs', 'cjs', 'built-cjs-cjs')).toBe('built-cjs-cjs');
  });

  it('the CommonJS and ESM builds share one context, either way round', async () => {
    expect(await seen('cjs', 'esm', 'built-cjs-esm')).toBe('built-cjs-esm');
    expect(await seen('esm', 'cjs', 'built-esm-cjs')).toBe('built-esm-cjs');
    expect(await seen('esm', 'esm', 'built-esm-esm')).toBe('built-esm-esm');
  });

  it('resolves through a manifest that names built files only', () => {
    const text = JSON.stringify(publishedManifest());
    expect(text).not.toContain('development');
    expect(text).not.toContain('src/');
  });
});
