import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  NodeTracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  type HttpExchange,
  type Lifecycle,
  manage,
  parseOptions,
  processSingleton,
} from '@platform/core';
import { PlatformContextManager } from './context-manager.js';
import { KeepErrorsProcessor } from './keep-errors.js';
import { MeteredBatchProcessor, meteredExporter } from './metrics.js';
import {
  endpointFromEnv,
  type ParsedTracingOptions,
  parseHeaderList,
  type TracingOptions,
  tracingOptionsSchema,
} from './options.js';
import { LazyOtlpExporter } from './otlp-exporter.js';
import { PlatformSampler } from './sampler.js';
import { PinnableIdGenerator, ServerSpans } from './server-span.js';

export const TRACER_NAME = '@platform/tracing';

/** What `initTracing` returns (the same object on every later call): the span pipeline. */
export interface TracingHandle extends Lifecycle {
  readonly provider: NodeTracerProvider;
  readonly tracer: Tracer;
  /** The in-memory exporter when `exporter: 'memory'`, for tests and dev tools. */
  readonly memoryExporter?: InMemorySpanExporter;
  readonly sampleRatio: number;
  readonly environment: string;
  readonly keepErrors: KeepErrorsProcessor;
  /**
   * Resolves once the exporter can export. With OTLP export it rejects when
   * `@opentelemetry/exporter-trace-otlp-http` is not installed: await it at startup to fail fast.
   */
  ready(): Promise<void>;
  /** Whether a request's caller may decide sampling through its `traceparent` flags. */
  trusts(exchange: HttpExchange): boolean;
  /** Exports every span ended so far. */
  flush(): Promise<void>;
  /** Flushes and stops exporting; the next `initTracing` call starts afresh. Idempotent. */
  close(): Promise<void>;
  /** OpenTelemetry's name for `flush()`. */
  forceFlush(): Promise<void>;
  /** OpenTelemetry's name for `close()`. */
  shutdown(): Promise<void>;
}

// One per process (core's processSingleton), so that bundles holding their own copy of
// this module (Next's route bundles next to instrumentation.ts), the CommonJS and ESM
// builds and other installed copies share one provider.
const state = processSingleton('@platform/tracing.provider', 1, () => ({
  handle: undefined as TracingHandle | undefined,
}));
const SERVER_SPANS = Symbol.for('@platform/tracing.serverSpans');

/** The active tracing handle, or undefined before `initTracing`. */
export function getTracing(): TracingHandle | undefined {
  return state.handle;
}

/** How `createHttpTelemetry` starts SERVER spans on this handle's provider. */
export function serverSpans(handle: TracingHandle): ServerSpans | undefined {
  return (handle as TracingHandle & { [SERVER_SPANS]?: ServerSpans })[SERVER_SPANS];
}

/**
 * Starts OpenTelemetry tracing once per process: NodeTracerProvider with a
 * BatchSpanProcessor, OTLP/HTTP (or console / memory / none) exporter, W3C trace
 * context + baggage, AsyncLocalStorage context, ParentBased(TraceIdRatio) sampling
 * (1.0 in development, 0.1 in production) and errors kept. The handle is closed (spans
 * flushed) by `@platform/core`'s shutdown unless `shutdown: false`. Calling it again
 * returns the running handle.
 *
 * @example
 * initTracing({ serviceName: 'orders-api', endpoint: 'http://localhost:4318/v1/traces' });
 */
export function initTracing(options: TracingOptions = {}): TracingHandle {
  const existing = getTracing();
  if (existing) return existing;
  const opts = parseOptions(tracingOptionsSchema, options, 'initTracing');
  const env = process.env;
  const environment =
    opts.environment ?? env.DEPLOYMENT_ENVIRONMENT ?? env.NODE_ENV ?? 'development';
  const sampleRatio = opts.sampleRatio ?? ratioFromEnv(env) ?? defaultSampleRatio(environment);

  const serviceName = opts.serviceName ?? env.OTEL_SERVICE_NAME ?? 'unknown_service:node';
  const resource = resourceFromAttributes({
    'service.name': serviceName,
    ...(opts.serviceVersion ? { 'service.version': opts.serviceVersion } : {}),
    'deployment.environment.name': environment,
    'telemetry.sdk.language': 'nodejs',
    ...parseHeaderList(env.OTEL_RESOURCE_ATTRIBUTES),
    ...opts.resourceAttributes,
  });

  const { exporter, memoryExporter } = buildExporter(opts, env);
  const batch: SpanProcessor = exporter
    ? new MeteredBatchProcessor(
        new BatchSpanProcessor(meteredExporter(exporter), opts.batch),
        opts.batch?.maxQueueSize,
      )
    : { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
  const keepErrors = new KeepErrorsProcessor(
    batch,
    opts.keepErrorsMaxSpans,
    1000,
    new Set(opts.ignoreScopes),
  );
  const sampler = new PlatformSampler(sampleRatio, opts.keepErrors);
  const ids = new PinnableIdGenerator();
  const provider = new NodeTracerProvider({
    resource,
    sampler,
    idGenerator: ids,
    spanProcessors: [keepErrors, ...opts.spanProcessors],
  });
  provider.register({
    contextManager: new PlatformContextManager(),
    propagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });

  const trust = opts.trustIncomingSampling;
  let unregister: (() => void) | undefined;
  const tracer = provider.getTracer(TRACER_NAME);
  const flush = () => provider.forceFlush();
  async function close(): Promise<void> {
    if (getTracing() !== handle) return;
    state.handle = undefined;
    unregister?.();
    try {
      await provider.shutdown();
    } finally {
      trace.disable();
      context.disable();
      propagation.disable();
    }
  }
  const handle: TracingHandle = {
    provider,
    tracer,
    memoryExporter,
    sampleRatio,
    environment,
    keepErrors,
    ready: async () => {
      if (exporter instanceof LazyOtlpExporter) await exporter.ready();
    },
    trusts: typeof trust === 'function' ? safePredicate(trust) : () => trust,
    flush,
    close,
    forceFlush: flush,
    shutdown: close,
  };
  // Other span processors see every recorded span, so only without them can an
  // unsampled request's span wait until its end to be built.
  const spans = new ServerSpans(tracer, sampler, ids, opts.spanProcessors.length === 0, keepErrors);
  Object.defineProperty(handle, SERVER_SPANS, { value: spans });
  state.handle = handle;
  const shutdown = opts.shutdown ?? opts.registerShutdown;
  unregister = manage('tracing', handle, { shutdown }, opts.shutdownTimeoutMs);
  return handle;
}

function buildExporter(
  opts: ParsedTracingOptions,
  env: NodeJS.ProcessEnv,
): { exporter?: SpanExporter; memoryExporter?: InMemorySpanExporter } {
  const endpoint = opts.endpoint ?? endpointFromEnv(env);
  const fromEnv = env.OTEL_TRACES_EXPORTER?.split(',')[0]?.trim();
  const kind = opts.exporter ?? (fromEnv || (endpoint ? 'otlp' : 'none'));
  if (typeof kind === 'object') return { exporter: kind };
  switch (kind) {
    case 'otlp':
      return {
        exporter: new LazyOtlpExporter({
          ...(endpoint ? { url: endpoint } : {}),
          headers: {
            ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS),
            ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
            ...opts.headers,
          },
        }),
      };
    case 'console':
      return { exporter: new ConsoleSpanExporter() };
    case 'memory': {
      const memoryExporter = new InMemorySpanExporter();
      return { exporter: memoryExporter, memoryExporter };
    }
    case 'none':
      return {};
    default:
      throw new TypeError(
        `initTracing: OTEL_TRACES_EXPORTER=${kind} is not supported (use otlp, console or none)`,
      );
  }
}

/** 0.1 in production, 1.0 everywhere else. */
export function defaultSampleRatio(environment: string): number {
  return environment === 'production' ? 0.1 : 1;
}

function ratioFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const sampler = env.OTEL_TRACES_SAMPLER;
  if (sampler !== 'parentbased_traceidratio' && sampler !== 'traceidratio') return undefined;
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG);
  return Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : undefined;
}

function safePredicate(fn: (exchange: HttpExchange) => boolean): (ex: HttpExchange) => boolean {
  return (ex) => {
    try {
      return fn(ex) === true;
    } catch {
      return false;
    }
  };
}
