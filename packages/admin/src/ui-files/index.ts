import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Answer, emptyAnswer, type NeutralRequest, problemAnswer } from '@platform/core';
import { contentSecurityPolicy, createNonce } from '@platform/headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const ASSET = /^assets\/[A-Za-z0-9._-]{1,100}$/;

/**
 * The page is served under @platform/headers' `html` policy (nonce + strict-dynamic, no
 * inline script or style) with a nonce of its own on its two external files: the header set
 * here replaces the host's for this one response, so the page never depends on how the
 * host's middleware hands its nonce around.
 */
const csp = contentSecurityPolicy();
const NONCE = /__NONCE__/g;

/** `dist/ui`: beside the built entry points (published), or below the package (workspace). */
function defaultDir(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (const up of ['ui', '../dist/ui', '../../dist/ui']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Serves the prebuilt UI: `index.html` at the mount point, files under `assets/`. */
export function uiHandler(uiDir?: string) {
  let dir: string | undefined;
  /** The folder once it holds a built UI; looked up again until then. */
  const built = () => {
    if (dir) return dir;
    const candidate = uiDir ?? defaultDir();
    if (candidate && existsSync(join(candidate, 'index.html'))) dir = candidate;
    return dir;
  };
  return async (request: NeutralRequest, rest: string): Promise<Answer | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    if (rest !== '' && rest !== 'index.html' && !ASSET.test(rest)) return undefined;
    if (rest === '' && !request.path.endsWith('/'))
      return emptyAnswer(308, { location: `${request.path}/` });
    const folder = built();
    if (!folder)
      return problemAnswer(503, {
        title: 'Service Unavailable',
        detail: 'The admin UI is not built: run `pnpm --filter @platform/admin build`.',
      });
    const file = rest === '' ? 'index.html' : rest;
    const bytes = await readFile(join(folder, file)).catch(() => undefined);
    if (!bytes) return undefined;
    const html = file === 'index.html';
    const nonce = html ? createNonce() : '';
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': html ? 'no-store' : 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        ...(html && { [csp.header.toLowerCase()]: csp.value(nonce) }),
      },
      body: html ? bytes.toString('utf8').replace(NONCE, nonce) : new Uint8Array(bytes),
    };
  };
}
