import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Answer, emptyAnswer, type NeutralRequest, problemAnswer } from '@platform/core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const ASSET = /^assets\/[A-Za-z0-9._-]{1,100}$/;

/** The console's own policy for its pages: external scripts and styles only, nothing inline. */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The `ui` folder beside `dist/` (published) or beside `src/` (workspace). */
function defaultDir(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (const up of ['../ui', '../../ui', '../../../ui']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Serves the prebuilt UI: `index.html` at the mount point, files under `assets/`. */
export function uiHandler(uiDir?: string) {
  let dir: string | undefined = uiDir;
  return async (request: NeutralRequest, rest: string): Promise<Answer | undefined> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    if (rest !== '' && rest !== 'index.html' && !ASSET.test(rest)) return undefined;
    if (rest === '' && !request.path.endsWith('/'))
      return emptyAnswer(308, { location: `${request.path}/` });
    dir ??= defaultDir();
    if (!dir)
      return problemAnswer(503, {
        title: 'Service Unavailable',
        detail: 'The admin UI is not built: run `pnpm --filter @platform/admin build`.',
      });
    const file = rest === '' ? 'index.html' : rest;
    const body = await readFile(join(dir, file)).catch(() => undefined);
    if (!body) return undefined;
    const html = file === 'index.html';
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': html ? 'no-store' : 'public, max-age=300',
        'x-content-type-options': 'nosniff',
        ...(html && { 'content-security-policy': UI_CSP }),
      },
      body: new Uint8Array(body),
    };
  };
}
