import { NetworkError, TimeoutError } from '../errors.js';
import type { PlatformError } from '../platform-error.js';
import { causes, isObject } from '../shape.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const ABORT_NAMES = new Set(['AbortError', 'TimeoutError']);

/**
 * Node socket and undici errors by `code`, and aborts by the DOMException name
 * (`AbortSignal.timeout()` rejects with `TimeoutError`). The cause chain is searched
 * too, which is where `fetch failed` TypeErrors keep the socket error.
 */
export function fromNetwork(value: unknown): PlatformError | undefined {
  for (const e of causes(value)) {
    if (!isObject(e)) continue;
    const { code, name } = e;
    if (typeof code === 'string') {
      if (TIMEOUT_CODES.has(code)) return new TimeoutError(undefined, { cause: value });
      if (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_')) {
        return new NetworkError(undefined, { cause: value });
      }
    }
    if (typeof name === 'string' && ABORT_NAMES.has(name)) {
      return new TimeoutError(undefined, { cause: value });
    }
  }
  return undefined;
}
