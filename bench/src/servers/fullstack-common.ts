import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { createFlags, defineFlags, memoryStore } from '@platform/flags';

/** The packages of our full chain that can be left out, one at a time, for the ablation. */
export const PARTS = [
  'headers',
  'tracing',
  'metrics',
  'ratelimit',
  'flags',
  'audit',
  'errors',
] as const;
export type Part = (typeof PARTS)[number];

/** Names the part the server leaves out (`BENCH_FULLSTACK_DROP=tracing`); unset: the whole chain. */
export const DROP_ENV = 'BENCH_FULLSTACK_DROP';

/** `has(part)`: whether the chain mounts that part in this process. Throws on an unknown name. */
export function chainParts(): { has(part: Part): boolean } {
  const drop = process.env[DROP_ENV] ?? '';
  if (drop !== '' && !(PARTS as readonly string[]).includes(drop)) {
    throw new Error(`${DROP_ENV}=${drop}: expected one of ${PARTS.join(', ')}`);
  }
  return { has: (part) => part !== drop };
}

/** `GET /_stats`: what the chain did (spans exported, audited writes, flag evaluations). */
export const STATS_PATH = '/_stats';

export interface ChainStats {
  spans: number;
  audited: number;
  flagChecks: number;
}

/** The flag every `GET /api/items/:id` evaluates: on for everyone. */
export const FLAG = 'newCheckout';

/** @platform/flags in memory, the README's shape: one boolean flag, served on. */
export async function benchFlags() {
  const flags = createFlags({
    definitions: defineFlags({ [FLAG]: { type: 'boolean', default: false } }),
    store: memoryStore({ flags: [{ key: FLAG, serve: { variant: 'on' } }] }),
    shutdown: false,
  });
  await flags.ready();
  return flags;
}

/** The peers' flag check: OpenFeature's server SDK with its InMemoryProvider, the same flag. */
export async function openFeatureClient() {
  await OpenFeature.setProviderAndWait(
    new InMemoryProvider({
      [FLAG]: { variants: { on: true, off: false }, defaultVariant: 'on', disabled: false },
    }),
  );
  return OpenFeature.getClient();
}
