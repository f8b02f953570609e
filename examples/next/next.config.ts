import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextConfig } from 'next';

const root = path.resolve(import.meta.dirname, '../..');
const packagesDir = path.join(root, 'packages');
const workspacePackages = readdirSync(packagesDir);

/**
 * Workspace packages export their TypeScript source under the `development`
 * condition, which `next build` does not use: map every subpath (exactly, hence
 * the `$`) to its source file so the example builds without building them first.
 */
function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const dir of workspacePackages) {
    const pkgDir = path.join(packagesDir, dir);
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries<{ development?: string }>(pkg.exports)) {
      if (typeof target !== 'object' || !target.development) continue;
      aliases[`${pkg.name}${subpath.slice(1)}$`] = path.join(pkgDir, target.development);
    }
  }
  return aliases;
}

// Built with webpack (`next build --webpack`): Turbopack cannot yet resolve the
// sources' `./context.js` imports to `context.ts` (vercel/next.js#82945).
const nextConfig: NextConfig = {
  transpilePackages: workspacePackages.map((dir) => `@platform/${dir}`),
  outputFileTracingRoot: root,
  // @platform/headers removes X-Powered-By from route handlers; this covers pages too.
  poweredByHeader: false,
  // the demo's in-process identity provider (examples/shared/identity-provider.ts) runs as is
  serverExternalPackages: ['oidc-provider'],
  webpack(config) {
    config.resolve.alias = { ...config.resolve.alias, ...sourceAliases() };
    config.module.rules.push({
      include: [packagesDir, path.join(root, 'examples/shared')],
      resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    });
    return config;
  },
};

export default nextConfig;
