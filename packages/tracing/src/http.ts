import {
  type Attributes,
  type Context,
  INVALID_SPAN_CONTEXT,
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import {
  getContext,
  type HttpExchange,
  methodLabel,
  processSingleton,
  type RequestContext,
  type RequestSlot,
  requestSlot,
  setTrace,
} from '@platform/core';
import { webExchange } from '@platform/core/next';
import type { Logger } from 'pino';
import { getTracing, serverSpans } from './provider.js';
import { createRequestLog, type RequestLog, type RequestLogOptions } from './request-log.js';
import { UNTRUSTED_PARENT } from './sampler.js';
import type { ServerSpans, SpanSource } from './server-span.js';

export interface HttpTelemetryOptions {
  /** Logs one line per request with this logger (see `createLogger`); off when omitted. */
  logger?: Logger;
  requestLog?: RequestLogOptions;
}

/** Transport facts the neutral exchange does not carry. */
export interface ServerInfo {
  scheme: string;
  port?: number;
}

/** One request in flight: run the rest of the chain in `context`, then call `end`. */
export interface ActiveRequest {
  readonly span: Span;
  /** The OpenTelemetry context holding the SERVER span. */
  readonly context: Context;
  /** Records an exception thrown by the handler (kept for `end`). */
  fail(error: unknown): void;
  /** Ends the span; `route` names it when the request context has no route. */
  end(status: number, route?: string): void;
}

/**
 * The request in flight, kept on core's request context so a binding's error hook finds
 * it again (one slot per process, shared by every copy of this module).
 */
export const activeRequest: RequestSlot<ActiveRequest> = processSingleton(
  '@platform/tracing.activeRequest',
  1,
  () => requestSlot<ActiveRequest>('tracing.request'),
);

export interface HttpTelemetry {
  start(exchange: HttpExchange, server: ServerInfo): ActiveRequest;
}

const headerGetter: TextMapGetter<HttpExchange> = {
  get: (ex, key) => ex.header(key),
  keys: () => ['traceparent', 'tracestate', 'baggage'],
};

const INVALID_TRACE_ID = '00000000000000000000000000000000';

/**
 * The framework-neutral request telemetry every binding calls: one SERVER span per
 * request (stable HTTP semantic conventions, request and tenant id), the trace id in
 * the request context, and the request log line.
 *
 * @example
 * const telemetry = createHttpTelemetry({ logger: createLogger() });
 * const active = telemetry.start(exchange, { scheme: 'http', port: 3000 });
 * otelContext.with(active.context, next);
 * res.on('finish', () => active.end(res.statusCode));
 */
export function createHttpTelemetry(options: HttpTelemetryOptions = {}): HttpTelemetry {
  const log = options.logger ? createRequestLog(options.logger, options.requestLog) : undefined;
  return {
    start(ex, server) {
      try {
        return new Request(ex, server, getContext(), log);
      } catch {
        // telemetry must never break the request: serve it untraced
        return untraced();
      }
    },
  };
}

class Request implements ActiveRequest, SpanSource {
  readonly span: Span;
  readonly context: Context;
  readonly #ctx: RequestContext | undefined;
  readonly #log: RequestLog | undefined;
  readonly #spans: ServerSpans | undefined;
  readonly #parent: Context;
  readonly #method: string;
  readonly #originalMethod: string;
  readonly #path: string;
  readonly #server: ServerInfo;
  readonly #started: number;
  #error: unknown;
  #ended = false;

  constructor(
    ex: HttpExchange,
    server: ServerInfo,
    ctx: RequestContext | undefined,
    log?: RequestLog,
  ) {
    this.#ctx = ctx;
    this.#log = log;
    this.#started = performance.now();
    const method = methodLabel(ex.method);
    this.#method = method;
    this.#originalMethod = ex.method;
    this.#path = ex.path;
    this.#server = server;
    const tracing = getTracing();
    let parent = ROOT_CONTEXT;
    if (tracing && (ex.header('traceparent') !== undefined || ex.header('baggage') !== undefined)) {
      parent = propagation.extract(ROOT_CONTEXT, ex, headerGetter);
      if (!tracing.trusts(ex)) parent = parent.setValue(UNTRUSTED_PARENT, true);
    }
    this.#parent = parent;
    const spans = tracing && serverSpans(tracing);
    this.#spans = spans;
    let span: Span;
    if (spans) span = spans.start(method, parent, this);
    else {
      const tracer = tracing ? tracing.tracer : trace.getTracer('@platform/tracing');
      const options = { kind: SpanKind.SERVER, attributes: this.startAttributes() };
      span = tracer.startSpan(method, options, parent);
    }
    this.span = span;
    this.context = trace.setSpan(parent, span);
    const sc = span.spanContext();
    if (ctx && sc.traceId !== INVALID_TRACE_ID) setTrace(sc.traceId, sc.spanId);
  }

  startAttributes(): Attributes {
    const method = this.#method;
    const server = this.#server;
    const ctx = this.#ctx;
    const attributes: Attributes = { 'http.request.method': method };
    if (method === '_OTHER') attributes['http.request.method_original'] = this.#originalMethod;
    attributes['url.path'] = this.#path;
    attributes['url.scheme'] = server.scheme;
    if (server.port !== undefined) attributes['server.port'] = server.port;
    if (ctx) {
      if (ctx.ip !== undefined) attributes['client.address'] = ctx.ip;
      if (ctx.userAgent !== undefined) attributes['user_agent.original'] = ctx.userAgent;
      attributes['platform.request_id'] = ctx.requestId;
    }
    return attributes;
  }

  open(): Span {
    const spans = this.#spans as ServerSpans;
    const attributes = this.startAttributes();
    return spans.open(
      this.span.spanContext(),
      this.#method,
      this.#parent,
      attributes,
      this.#started,
    );
  }

  fail(error: unknown): void {
    this.#error ??= error;
  }

  end(status: number, route?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.#finish(status, route);
    } catch {
      // never throw into the host's response path
    }
  }

  #finish(status: number, matched: string | undefined): void {
    const ended = performance.now();
    const ctx = this.#ctx;
    const route = ctx?.route ?? matched;
    const error = this.#error;
    const span = this.#spans ? this.#spans.settle(this.span, status >= 500) : this.span;
    if (span) {
      if (span.isRecording()) {
        if (route) {
          span.updateName(`${this.#method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', status);
        if (ctx?.tenantId) span.setAttribute('platform.tenant_id', ctx.tenantId);
        if (status >= 500) {
          if (error !== undefined)
            span.recordException(error instanceof Error ? error : String(error));
          span.setAttribute('error.type', errorType(error, status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end(ended);
    }
    if (this.#log) {
      this.#log.write({
        method: this.#method === '_OTHER' ? (ctx?.method ?? this.#method) : this.#method,
        route: route ?? ctx?.path,
        status,
        durationMs: ended - this.#started,
        requestId: ctx?.requestId,
        traceId: ctx?.traceId,
        spanId: this.span.spanContext().spanId,
        tenantId: ctx?.tenantId,
        error,
      });
    }
  }
}

/** Scheme and port of a Node request's socket (Express, Fastify). */
export function socketServer(socket: { encrypted?: boolean; localPort?: number }): ServerInfo {
  return { scheme: socket.encrypted ? 'https' : 'http', port: socket.localPort };
}

/** Starts the request telemetry of a Fetch `Request` (Next route handlers, Hono). */
export function startFetch(
  telemetry: HttpTelemetry,
  request: globalThis.Request,
  route?: string,
): ActiveRequest {
  const url = new URL(request.url);
  return telemetry.start(webExchange(request, new Headers(), route), {
    scheme: url.protocol.slice(0, -1),
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  });
}

function untraced(): ActiveRequest {
  const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  return { span, context: otelContext.active(), fail() {}, end() {} };
}

function errorType(error: unknown, status: number): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? error.name : error.constructor.name;
  if (error !== undefined) return typeof error;
  return String(status);
}
