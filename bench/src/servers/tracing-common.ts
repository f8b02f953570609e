import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import pino, { type DestinationStream } from 'pino';

/** Counts exported spans and drops them: export cost without a network. */
export class CountingExporter implements SpanExporter {
  count = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.count += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** Both sides log one JSON line per request (or Fastify's two) to /dev/null, asynchronously. */
export function nullDestination(): DestinationStream {
  return pino.destination({ dest: '/dev/null', sync: false });
}

/** `GET /_spans` reports how many spans reached the exporter (checked by `verify`). */
export const SPANS_PATH = '/_spans';
