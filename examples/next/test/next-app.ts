import { fileURLToPath } from 'node:url';
import { freePort, type RunningApp, startApp } from '../../test-support/harness.js';

// vitest sets NODE_ENV=test, which Next rejects as non-standard.
// The tests' callers identify themselves with the demo's X-User-* headers, which production
// ignores unless DEMO_HEADER_AUTH=on (the access suite turns it off again).
export const NEXT_ENV = {
  NEXT_TELEMETRY_DISABLED: '1',
  NODE_ENV: 'production',
  DEMO_HEADER_AUTH: 'on',
} as const;

/**
 * Starts the built example (`next start`, built once by global-setup.ts) on a free
 * loopback port. `next start` always runs with NODE_ENV=production.
 */
export async function startNext(env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  return startApp('pnpm', ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...NEXT_ENV, ...env },
    ready: /Ready in/,
    url: `http://127.0.0.1:${port}`,
  });
}
