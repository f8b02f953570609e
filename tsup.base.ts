import type { Options } from 'tsup';

/**
 * The build every @platform package shares; a package's tsup.config.ts names its entries
 * and the optional peers it must not bundle.
 */
export function packageBuild(entry: Options['entry'], external: string[] = []): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    // Entries share chunks in the CommonJS build too, as they do in ESM: one copy of each
    // module per format instead of one per entry (see @platform/core's processSingleton for
    // state shared across formats and copies).
    splitting: true,
    dts: true,
    clean: true,
    // No sourcemaps: they would point at src/, which the tarball does not ship.
    sourcemap: false,
    target: 'node20',
    treeshake: true,
    external,
  };
}
