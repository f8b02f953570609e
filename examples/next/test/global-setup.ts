import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NEXT_ENV } from './next-app.js';

/** One `next build` for every test file of this project; each file starts its own `next start`. */
export default async function setup(): Promise<void> {
  await promisify(execFile)('pnpm', ['build'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, ...NEXT_ENV },
    maxBuffer: 16 * 1024 * 1024,
  });
}
