// Builds the console's UI into ../dist/ui: one module bundle, one stylesheet, the page. Run by
// the package's `build` script and by the tests' global setup.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'ui');

export async function buildUi() {
  await mkdir(join(out, 'assets'), { recursive: true });
  await build({
    entryPoints: [join(here, 'main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: join(out, 'assets', 'app.js'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(here, 'app.css')],
    bundle: true,
    minify: true,
    outfile: join(out, 'assets', 'app.css'),
    logLevel: 'warning',
  });
  await writeFile(join(out, 'index.html'), await readFile(join(here, 'index.html')));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildUi();
