import { type HttpExchange, parseOptions } from '@platform/core';
import type { CompiledCsp } from './csp.js';
import { compileHeaders, optionsSchema, type SecurityHeadersOptions } from './headers.js';
import { createNonce } from './nonce.js';
import { PRESETS } from './presets.js';

/**
 * Anything headers can be set on: core's `HttpExchange` (every binding's), Node's
 * ServerResponse and Express' res; `removeHeader` (for X-Powered-By) where there is one.
 */
export type HeaderTarget = Pick<HttpExchange, 'setHeader'> & {
  removeHeader?(name: string): unknown;
};

/** The compiled header set every binding applies. */
export interface SecurityHeaders {
  /** Headers whose values never change, computed once at construction. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The CSP, when one is sent. */
  readonly csp?: CompiledCsp;
  /** True when each response gets a fresh CSP nonce. */
  readonly usesNonce: boolean;
  readonly removePoweredBy: boolean;
  /** A header every `apply()` sets (the CSP's, else the first): absent means it did not run. */
  readonly marker?: string;
  /** Sets every header on `target`; returns this response's nonce when the CSP uses one. */
  apply(target: HeaderTarget): string | undefined;
  /** The full header list for one response (with a fresh nonce when the CSP uses one). */
  forResponse(): { nonce?: string; headers: [string, string][] };
}

/**
 * Validates options (failing with a ConfigError that names the header or directive),
 * merges them over the preset and renders every static value once.
 *
 * @example
 * const secure = createSecurityHeaders({ preset: 'api' });
 * secure.apply(res);
 */
export function createSecurityHeaders(options: SecurityHeadersOptions = {}): SecurityHeaders {
  const parsed = parseOptions(optionsSchema, options, 'securityHeaders');
  const { headers, csp, removePoweredBy } = compileHeaders(
    PRESETS[parsed.preset ?? 'html'],
    parsed,
  );
  const dynamic = csp?.usesNonce ? csp : undefined;
  return {
    headers,
    csp,
    usesNonce: dynamic !== undefined,
    removePoweredBy,
    marker: csp?.header ?? headers[0]?.[0],
    apply(target) {
      if (removePoweredBy) target.removeHeader?.('X-Powered-By');
      for (let i = 0; i < headers.length; i++) {
        const pair = headers[i] as [string, string];
        target.setHeader(pair[0], pair[1]);
      }
      if (!dynamic) return undefined;
      const nonce = createNonce();
      target.setHeader(dynamic.header, dynamic.value(nonce));
      return nonce;
    },
    forResponse() {
      if (!dynamic) return { headers: [...headers] };
      const nonce = createNonce();
      return { nonce, headers: [[dynamic.header, dynamic.value(nonce)], ...headers] };
    },
  };
}
