import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { HttpExchange } from '@platform/core';
import { z } from 'zod';

const fn = <T>(what = 'must be a function') => z.custom<T>((v) => typeof v === 'function', what);

const exporterObject = z.custom<SpanExporter>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SpanExporter).export === 'function' &&
    typeof (v as SpanExporter).shutdown === 'function',
  'must be "otlp", "console", "memory", "none" or a SpanExporter',
);

export const tracingOptionsSchema = z.object({
  serviceName: z.string().min(1).max(256).optional(),
  serviceVersion: z.string().min(1).max(128).optional(),
  /** `deployment.environment.name`; also picks the default sample ratio. */
  environment: z.string().min(1).max(64).optional(),
  /** Extra resource attributes. */
  resourceAttributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional(),
  exporter: z.union([z.enum(['otlp', 'console', 'memory', 'none']), exporterObject]).optional(),
  /** OTLP/HTTP traces URL, e.g. `http://localhost:4318/v1/traces`. */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Head sampling ratio for new traces (0..1). Default 1 in development, 0.1 in production. */
  sampleRatio: z.number().min(0).max(1).optional(),
  /**
   * Honour the sampled flag of an incoming `traceparent` only from trusted callers.
   * The trace id is always continued; untrusted callers just do not decide sampling.
   */
  trustIncomingSampling: z
    .union([z.boolean(), fn<(exchange: HttpExchange) => boolean>()])
    .default(false),
  /** Export a request that ends in a 5xx or an exception even when the head sampler dropped it. */
  keepErrors: z.boolean().default(true),
  /** Spans kept per dropped trace while waiting for its request to end (keepErrors). */
  keepErrorsMaxSpans: z.number().int().min(1).max(10_000).default(128),
  /** Drop spans of these instrumentation scopes (e.g. `next.js`, to avoid duplicate request spans). */
  ignoreScopes: z.array(z.string().min(1)).default([]),
  /** Extra span processors (e.g. the development inspector). */
  spanProcessors: z
    .array(z.custom<SpanProcessor>((v) => typeof v === 'object' && v !== null))
    .default([]),
  batch: z
    .object({
      maxQueueSize: z.number().int().positive().optional(),
      maxExportBatchSize: z.number().int().positive().optional(),
      scheduledDelayMillis: z.number().int().positive().optional(),
      exportTimeoutMillis: z.number().int().positive().optional(),
    })
    .default({}),
  /** Close the pipeline (flushing its spans) with @platform/core's `shutdown()` (default true). */
  shutdown: z.boolean().optional(),
  /** @deprecated Use `shutdown`. */
  registerShutdown: z.boolean().optional(),
  shutdownTimeoutMs: z.number().int().positive().default(5000),
});

export type TracingOptions = z.input<typeof tracingOptionsSchema>;
export type ParsedTracingOptions = z.output<typeof tracingOptionsSchema>;

/** Parses `OTEL_EXPORTER_OTLP_HEADERS`-style `k=v,k2=v2` lists (values URL-encoded). */
export function parseHeaderList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/** The traces URL from the standard env vars, as the OTLP/HTTP spec builds it. */
export function endpointFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}
