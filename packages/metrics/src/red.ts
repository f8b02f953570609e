import { counter, gauge, histogram, methodLabel, type RequestContext } from '@platform/core';
import type { RequestObserver, RequestSample } from './observer.js';
import { DURATION_BUCKETS } from './registry.js';

export const UNMATCHED = 'unmatched';

const duration = histogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of HTTP server requests, from the first middleware to the end of the response.',
  labelNames: ['http_request_method', 'http_route', 'http_response_status_code', 'tenant'],
  buckets: DURATION_BUCKETS,
});
const requests = counter({
  name: 'http_server_requests_total',
  help: 'HTTP server requests answered, by route template and status class.',
  labelNames: ['http_request_method', 'http_route', 'status_class', 'tenant'],
});
const active = gauge({
  name: 'http_server_active_requests',
  help: 'HTTP server requests being served.',
  labelNames: ['http_request_method'],
});

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
const statusClass = (status: number) =>
  STATUS_CLASSES[Math.floor(status / 100)] ?? `${Math.floor(status / 100)}xx`;

/** In-flight requests per method: plain numbers on the hot path, read at scrape time. */
const inFlight = new Map<string, number>();
let collecting = false;

function collectInFlight(): Array<readonly [{ http_request_method: string }, number]> {
  return [...inFlight].map(([method, n]) => [{ http_request_method: method }, n] as const);
}

/** Seconds since `started` (a `start()` result). */
export const since = (started: number): number => (performance.now() - started) / 1000;

/**
 * Records the RED metrics of each request and hands it to the observers. The bindings call
 * `start` when a request arrives and `finish` once its response ended.
 */
export class RedRecorder {
  readonly #observers: readonly RequestObserver[];
  readonly #onObserverError: (err: unknown) => void;

  constructor(observers: readonly RequestObserver[], onObserverError: (err: unknown) => void) {
    this.#observers = observers;
    this.#onObserverError = onObserverError;
    if (!collecting) {
      collecting = true;
      active.collect(collectInFlight);
    }
  }

  /** Counts the request in flight; returns the start time to give to `finish`. */
  start(method: string): number {
    const m = methodLabel(method);
    inFlight.set(m, (inFlight.get(m) ?? 0) + 1);
    return performance.now();
  }

  /** Records one finished request; `route`, when the binding gives one, wins over the context's. */
  finish(
    method: string,
    seconds: number,
    status: number,
    context: RequestContext | undefined,
    route?: string,
  ): void {
    const m = methodLabel(method);
    inFlight.set(m, (inFlight.get(m) ?? 1) - 1);
    const template = route ?? context?.route ?? UNMATCHED;
    const tenant = context?.tenantId ?? '';
    const traceId = context?.traceId;
    duration.observe(
      { http_request_method: m, http_route: template, http_response_status_code: status, tenant },
      seconds,
      traceId === undefined ? undefined : { traceId, spanId: context?.spanId },
    );
    requests.inc({
      http_request_method: m,
      http_route: template,
      status_class: statusClass(status),
      tenant,
    });
    const observers = this.#observers;
    if (observers.length === 0) return;
    const sample: RequestSample = {
      method: m,
      route: template,
      status,
      seconds,
      tenant: context?.tenantId,
      traceId,
      spanId: context?.spanId,
      endedAt: Date.now(),
    };
    for (const observer of observers) {
      try {
        observer.observe(sample);
      } catch (err) {
        this.#onObserverError(err);
      }
    }
  }
}
