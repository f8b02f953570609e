import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { defineSuite, expectResponse, serverUrl, type Variant } from '../suite.js';

/**
 * This tree against another checkout of the repository (a previous commit), side by side in
 * one interleaved run: the regression check for a change on the request path.
 *
 *   git worktree add /tmp/base <commit> && (cd /tmp/base && pnpm install)
 *   BENCH_BASE=/tmp/base pnpm bench against-base --duration 5 --rounds 3
 *
 * Runs only when named. Each server module runs from its own tree, so `base` loads the
 * packages of that checkout (its node_modules link to its own packages/).
 */
const BASE = process.env.BENCH_BASE;
const PATH = '/api/items/42';

/** The servers compared, by module name under bench/src/servers (present in both trees). */
const SERVERS = [
  ['fastify', 'fastify-core-errors', 'core + errors'],
  ['fastify', 'tracing-fastify-ours-10', 'tracing 10%'],
  ['fastify', 'ratelimit-fastify-ours', 'ratelimit'],
  ['express', 'express-core-errors', 'core + errors'],
  ['express', 'tracing-express-ours-10', 'tracing 10%'],
  ['express', 'ratelimit-express-ours', 'ratelimit'],
] as const;

function baseServer(module: string): URL {
  if (!BASE) {
    throw new Error('against-base: set BENCH_BASE to the root of another checkout (see the file)');
  }
  const file = `${BASE}/bench/src/servers/${module}.ts`;
  if (!existsSync(file)) throw new Error(`against-base: ${file} does not exist in BENCH_BASE`);
  return pathToFileURL(file);
}

const answers = (origin: string) => expectResponse(origin, PATH, { status: 200 });

const variants: Variant[] = SERVERS.flatMap(([kind, module, label]) => [
  {
    name: `${kind} ${label} (base)`,
    kind,
    server: BASE ? baseServer(module) : serverUrl(module),
    verify: answers,
  },
  { name: `${kind} ${label} (head)`, kind, server: serverUrl(module), verify: answers },
]);

export default defineSuite({
  name: 'against-base',
  description:
    'GET /api/items/:id on the core, tracing and ratelimit chains of this tree (head) next to the same servers from the checkout in BENCH_BASE (base).',
  request: { path: PATH },
  explicit: true,
  variants: [
    {
      name: 'fastify bare',
      kind: 'fastify',
      baseline: true,
      server: serverUrl('fastify-bare'),
      verify: answers,
    },
    {
      name: 'express bare',
      kind: 'express',
      baseline: true,
      server: serverUrl('express-bare'),
      verify: answers,
    },
    ...variants,
  ],
  comparisons: SERVERS.map(([kind, , label]) => ({
    variant: `${kind} ${label} (head)`,
    against: `${kind} ${label} (base)`,
    goal: 0.97,
  })),
});
