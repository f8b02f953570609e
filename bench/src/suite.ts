import type { Server } from 'node:http';

/** One server to load: a module under src/servers (or anywhere) whose default export starts it. */
export interface Variant {
  /** Shown in the table, e.g. `express + core + errors`. */
  name: string;
  /** Variants of one kind are compared with that kind's baseline (`express`, `fastify`). */
  kind: string;
  /** The bare framework the other variants of this kind are measured against. */
  baseline?: boolean;
  /** URL of a module whose default export is a {@link StartServer}. */
  server: URL;
  /**
   * Checked once against each fresh server before it is loaded, so a misconfigured
   * variant fails loudly instead of benchmarking 404s. Throw to fail.
   */
  verify?: (origin: string) => Promise<void>;
  /** Extra environment for the server process (e.g. which part of a chain to leave out). */
  env?: Record<string, string>;
}

/**
 * A ratio the suite exists to show (an issue's goal): `variant`'s throughput over
 * `against`'s, paired round by round (both ran in the same interleaved round, so drift
 * on the machine hits both).
 */
export interface Comparison {
  /** Variant names, as in `variants`. */
  variant: string;
  against: string;
  /** The ratio to reach (e.g. 2.5 for "2.5x the peer", 0.85 for "0.85 of bare"). */
  goal?: number;
}

/**
 * A chain measured whole and with each of its parts left out in turn: what each part costs
 * over the full chain, round by round. Printed as a table under the comparisons.
 */
export interface Ablation {
  /** The whole chain's variant name. */
  full: string;
  /** One variant per part left out, e.g. `{ part: 'tracing', variant: 'fastify ours 10% - tracing' }`. */
  without: { part: string; variant: string }[];
}

export interface Suite {
  /** Also the results file name: `bench/results/<name>.json`. */
  name: string;
  /** One sentence: what this suite compares. */
  description: string;
  /** The request every variant is loaded with. */
  request: { method?: 'GET' | 'POST'; path: string; headers?: Record<string, string> };
  variants: Variant[];
  /** Printed under the table: per-round ratios and whether the goal was reached. */
  comparisons?: Comparison[];
  /** Printed under the comparisons: each part's cost over the full chain. */
  ablations?: Ablation[];
  /** Runs only when named on the command line (it needs set-up `pnpm bench` cannot assume). */
  explicit?: boolean;
}

/**
 * Starts the app listening on 127.0.0.1 with port 0 and resolves with the listening
 * server. Runs in its own child process; it must not log to stdout.
 */
export type StartServer = () => Promise<Server>;

/**
 * Declares a suite; a file under src/suites that default-exports one is picked up by name.
 *
 * @example
 * export default defineSuite({
 *   name: 'core',
 *   description: 'Express and Fastify, bare vs with @platform/core + @platform/errors',
 *   request: { path: '/api/items/42' },
 *   variants: [{ name: 'express bare', kind: 'express', baseline: true, server: serverUrl('express-bare') }],
 * });
 */
export function defineSuite(suite: Suite): Suite {
  const kinds = new Set(suite.variants.map((v) => v.kind));
  for (const kind of kinds) {
    const baselines = suite.variants.filter((v) => v.kind === kind && v.baseline);
    if (baselines.length !== 1) {
      throw new Error(`suite ${suite.name}: kind "${kind}" needs exactly one baseline variant`);
    }
  }
  const names = new Set(suite.variants.map((v) => v.name));
  const pairs = [
    ...(suite.comparisons ?? []).map((c) => [c.variant, c.against]),
    ...(suite.ablations ?? []).map((a) => [a.full, ...a.without.map((w) => w.variant)]),
  ];
  for (const pair of pairs) {
    for (const name of pair) {
      if (!names.has(name))
        throw new Error(
          `suite ${suite.name}: comparison or ablation names unknown variant "${name}"`,
        );
    }
  }
  return suite;
}

/** URL of a server module in this package's src/servers folder. */
export function serverUrl(name: string): URL {
  return new URL(`./servers/${name}.ts`, import.meta.url);
}

/**
 * Fetches `path` once and throws unless the status matches and every listed header is
 * present (a string value must match exactly, a RegExp must match).
 */
export async function expectResponse(
  origin: string,
  path: string,
  expected: { status: number; headers?: Record<string, string | RegExp | true> },
): Promise<void> {
  const res = await fetch(`${origin}${path}`, { signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  if (res.status !== expected.status) {
    throw new Error(`GET ${path}: expected status ${expected.status}, got ${res.status}`);
  }
  for (const [name, want] of Object.entries(expected.headers ?? {})) {
    const got = res.headers.get(name);
    const ok =
      got !== null && (want === true || (typeof want === 'string' ? got === want : want.test(got)));
    if (!ok) throw new Error(`GET ${path}: header ${name} is ${JSON.stringify(got)}`);
  }
}
