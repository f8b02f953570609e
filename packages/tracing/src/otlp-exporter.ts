import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

export const OTLP_EXPORTER_PACKAGE = '@opentelemetry/exporter-trace-otlp-http';
const OTLP_EXPORTER_RANGE = '~0.223.1';

export interface OtlpConfig {
  url?: string;
  headers: Record<string, string>;
}

type Load = () => Promise<{ OTLPTraceExporter: new (config: OtlpConfig) => SpanExporter }>;

// A native import() that bundlers leave alone: the exporter is an optional peer, so a
// Next.js build of an app that never exports over OTLP must not fail to resolve it.
const loadExporterPackage: Load = () =>
  import(/* webpackIgnore: true */ /* turbopackIgnore: true */ OTLP_EXPORTER_PACKAGE);

/** Thrown (and warned once) when OTLP export is configured but its exporter is not installed. */
export class OtlpExporterMissingError extends Error {
  override readonly name = 'OtlpExporterMissingError';
  readonly code = 'PLATFORM_TRACING_OTLP_EXPORTER_MISSING';
}

function missing(cause: unknown, url: string | undefined): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') {
    return cause instanceof Error ? cause : new Error(String(cause));
  }
  return new OtlpExporterMissingError(
    `@platform/tracing: OTLP export is configured${url ? ` (${url})` : ''} but ${OTLP_EXPORTER_PACKAGE} is not installed, so no span is exported. Install it (npm install ${OTLP_EXPORTER_PACKAGE}@${OTLP_EXPORTER_RANGE}), or choose another exporter (exporter: 'console' | 'none', or unset OTEL_EXPORTER_OTLP_ENDPOINT).`,
    { cause },
  );
}

/**
 * The OTLP/HTTP span exporter, loaded when OTLP export is configured rather than with the
 * package: `@opentelemetry/exporter-trace-otlp-http` is an optional peer. Loading starts at
 * once; spans exported before it is done wait for it. If the package is missing, one process
 * warning says so, every export fails with that error and `ready()` rejects with it.
 */
export class LazyOtlpExporter implements SpanExporter {
  readonly #loading: Promise<SpanExporter>;
  #exporter?: SpanExporter;

  constructor(config: OtlpConfig, load: Load = loadExporterPackage) {
    this.#loading = load().then(
      (mod) => {
        this.#exporter = new mod.OTLPTraceExporter(config);
        return this.#exporter;
      },
      (err: unknown) => {
        const error = missing(err, config.url);
        process.emitWarning(error.message, {
          code: (error as { code?: string }).code ?? 'PLATFORM_TRACING_OTLP_EXPORTER_FAILED',
        });
        throw error;
      },
    );
    // Reported by the warning above; each export reports it again to its caller.
    this.#loading.catch(() => {});
  }

  /** Resolves once the exporter is loaded; rejects with the reason it cannot be. */
  async ready(): Promise<void> {
    await this.#loading;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.#exporter) {
      this.#exporter.export(spans, done);
      return;
    }
    this.#loading.then(
      (exporter) => exporter.export(spans, done),
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
  }

  async shutdown(): Promise<void> {
    const exporter = await this.#loading.catch(() => undefined);
    await exporter?.shutdown();
  }

  async forceFlush(): Promise<void> {
    const exporter = await this.#loading.catch(() => undefined);
    await exporter?.forceFlush?.();
  }
}
