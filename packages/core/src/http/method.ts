// OpenTelemetry's known HTTP methods (semantic conventions, `http.request.method`).
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
]);

/**
 * The method as a span attribute or metric label: a known method as it is, anything else
 * `_OTHER` (OpenTelemetry's rule), so a client cannot mint series by inventing methods.
 */
export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : '_OTHER';
}
