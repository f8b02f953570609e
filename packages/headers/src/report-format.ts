/** One CSP violation, normalized from either report format. Strings are bounded and stripped of control characters. */
export interface CspViolation {
  /** The id of the request that delivered the report (from @platform/core's context). */
  requestId?: string;
  documentUri: string;
  blockedUri?: string;
  /** The directive that was violated, e.g. `script-src-elem`. */
  effectiveDirective: string;
  violatedDirective?: string;
  /** `enforce` when the resource was blocked, `report` under a report-only policy. */
  disposition: 'enforce' | 'report';
  referrer?: string;
  sourceFile?: string;
  lineNumber?: number;
  columnNumber?: number;
  statusCode?: number;
  /** The first characters of the blocked inline script or style, when the policy asks for them. */
  sample?: string;
  originalPolicy?: string;
  userAgent?: string;
  /** Which wire format carried it. */
  format: 'csp-report' | 'reports+json';
}

type Fields = Omit<CspViolation, 'requestId' | 'format'>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g;

function text(value: unknown, max = 2048): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(CONTROL, '').slice(0, max);
  return clean === '' ? undefined : clean;
}

function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31
    ? value
    : undefined;
}

function directive(effective: unknown, violated: string | undefined): string {
  const name = (text(effective, 64) ?? violated?.split(' ')[0] ?? '').toLowerCase();
  return /^[a-z][a-z-]{0,63}$/.test(name) ? name : 'unknown';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `application/csp-report` (report-uri): `{"csp-report": {...}}`. Undefined when malformed. */
export function fromCspReport(json: unknown): Fields[] | undefined {
  if (!isObject(json) || !isObject(json['csp-report'])) return undefined;
  const r = json['csp-report'];
  const violated = text(r['violated-directive'], 256);
  return [
    {
      documentUri: text(r['document-uri']) ?? '',
      blockedUri: text(r['blocked-uri']),
      effectiveDirective: directive(r['effective-directive'], violated),
      violatedDirective: violated,
      disposition: r.disposition === 'report' ? 'report' : 'enforce',
      referrer: text(r.referrer),
      sourceFile: text(r['source-file']),
      lineNumber: int(r['line-number']),
      columnNumber: int(r['column-number']),
      statusCode: int(r['status-code']),
      sample: text(r['script-sample'], 256),
      originalPolicy: text(r['original-policy'], 4096),
    },
  ];
}

/**
 * `application/reports+json` (Reporting API, report-to): an array of reports; only
 * `csp-violation` ones are violations. Undefined when malformed.
 */
export function fromReportsJson(
  json: unknown,
): { violations: Fields[]; ignored: number } | undefined {
  if (!Array.isArray(json)) return undefined;
  const violations: Fields[] = [];
  let ignored = 0;
  for (const report of json) {
    if (!isObject(report)) return undefined;
    if (report.type !== 'csp-violation') {
      ignored++;
      continue;
    }
    const b = report.body;
    if (!isObject(b)) return undefined;
    violations.push({
      documentUri: text(b.documentURL) ?? text(report.url) ?? '',
      blockedUri: text(b.blockedURL),
      effectiveDirective: directive(b.effectiveDirective, undefined),
      disposition: b.disposition === 'report' ? 'report' : 'enforce',
      referrer: text(b.referrer),
      sourceFile: text(b.sourceFile),
      lineNumber: int(b.lineNumber),
      columnNumber: int(b.columnNumber),
      statusCode: int(b.statusCode),
      sample: text(b.sample, 256),
      originalPolicy: text(b.originalPolicy, 4096),
      userAgent: text(report.user_agent, 512),
    });
  }
  return { violations, ignored };
}
