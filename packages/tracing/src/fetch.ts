import { context as otelContext, propagation, SpanKind, trace } from '@opentelemetry/api';
import { recordError, tracer } from './traced.js';

const SECRET_PARAM =
  /(?:token|key|secret|password|passwd|pwd|signature|sig|auth|credential|code|session)/i;

/**
 * The URL as safe to record: no user:password, and values of query parameters that
 * look like secrets (token, api_key, signature, ...) replaced by `REDACTED`.
 */
export function safeUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return '[invalid url]';
  }
  url.username = '';
  url.password = '';
  if (url.search) {
    const params = new URLSearchParams(url.search);
    let changed = false;
    for (const key of new Set(params.keys())) {
      if (SECRET_PARAM.test(key)) {
        params.set(key, 'REDACTED');
        changed = true;
      }
    }
    if (changed) url.search = params.toString();
  }
  return url.toString();
}

export interface TracedFetchOptions {
  /** Span name prefix; default `{method}` (the HTTP client convention). */
  name?: string;
  /** The fetch to call (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/**
 * `fetch` for outgoing integration calls: a CLIENT span (`http.request.method`,
 * `url.full` without credentials or secret query values, `server.address`,
 * `server.port`, `http.response.status_code`), with `traceparent` / `baggage`
 * injected into the request headers.
 *
 * @example
 * const res = await tracedFetch('https://api.stripe.com/v1/charges', { method: 'POST', body });
 */
export async function tracedFetch(
  input: string | URL | Request,
  init: RequestInit = {},
  options: TracedFetchOptions = {},
): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const request = input instanceof Request ? input : undefined;
  const rawUrl = request ? request.url : String(input);
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const span = tracer().startSpan(options.name ?? method, { kind: SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttribute('http.request.method', method);
    span.setAttribute('url.full', safeUrl(rawUrl));
    try {
      const u = new URL(rawUrl);
      span.setAttribute('server.address', u.hostname);
      span.setAttribute('server.port', Number(u.port) || (u.protocol === 'https:' ? 443 : 80));
    } catch {
      // recorded as an invalid url above
    }
    span.setAttribute('code.layer', 'integration');
  }
  const headers = new Headers(init.headers ?? request?.headers);
  propagation.inject(trace.setSpan(otelContext.active(), span), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
  try {
    const response = await otelContext.with(trace.setSpan(otelContext.active(), span), () =>
      doFetch(request ?? rawUrl, { ...init, headers }),
    );
    if (span.isRecording()) {
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: 2 });
      }
    }
    return response;
  } catch (error) {
    recordError(span, error);
    throw error;
  } finally {
    span.end();
  }
}
