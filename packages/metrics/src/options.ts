import { parseOptions } from '@platform/core';
import { z } from 'zod';
import type { RequestObserver } from './observer.js';

const schema = z.object({
  /** Record at all. `false`, or PLATFORM_METRICS=off|false|0, switches everything off. */
  enabled: z.boolean().default(true),
  tenants: z
    .object({ max: z.number().int().min(0).max(100_000).default(100) })
    .default({ max: 100 }),
  maxSeries: z.number().int().min(1).max(1_000_000).default(10_000),
  defaultMetrics: z.union([z.boolean(), z.literal('prom-client-names')]).default(true),
  observers: z
    .array(
      z.custom<RequestObserver>(
        (v) => typeof (v as RequestObserver | null)?.observe === 'function',
        'must have an observe(sample) method',
      ),
    )
    .default([]),
  summary: z
    .union([
      z.literal(false),
      z.object({ maxKeys: z.number().int().min(1).max(100_000).optional() }),
    ])
    .default({}),
  authorize: z
    .custom<(req: unknown) => boolean | Promise<boolean>>(
      (v) => typeof v === 'function',
      'must be a function',
    )
    .optional(),
  shutdown: z.boolean().optional(),
  logger: z.custom((v) => typeof v === 'object' && v !== null, 'must be a logger').optional(),
  onError: z.custom((v) => typeof v === 'function', 'must be a function').optional(),
});

export type ParsedMetricsOptions = z.output<typeof schema>;

/** PLATFORM_METRICS=off, false or 0 switches metrics off whatever the options say. */
export function switchedOffByEnv(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.PLATFORM_METRICS?.trim().toLowerCase();
  return value === 'off' || value === 'false' || value === '0';
}

export function parseMetricsOptions(options: unknown): ParsedMetricsOptions {
  return parseOptions(schema, options, 'metrics');
}
