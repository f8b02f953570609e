import {
  contentTypeOptions,
  frameOptions,
  HEADER_RESULTS,
  type HeaderResult,
  isolationPolicy,
  referrerPolicy,
  resourcePolicy,
  strictTransportSecurity,
} from './score-checks.js';
import { analyzeCsp, CSP_RESULTS, type CspResult } from './score-csp.js';

export type Grade =
  | 'A+'
  | 'A'
  | 'A-'
  | 'B+'
  | 'B'
  | 'B-'
  | 'C+'
  | 'C'
  | 'C-'
  | 'D+'
  | 'D'
  | 'D-'
  | 'F';

export interface ScoreReason {
  /** The Observatory test: `content-security-policy`, `strict-transport-security`, … */
  test: string;
  /** The Observatory result name, e.g. `csp-implemented-with-no-unsafe`. */
  result: string;
  modifier: number;
  description: string;
}

export interface HeaderScore {
  score: number;
  grade: Grade;
  reasons: ScoreReason[];
}

export interface ScoreOptions {
  /** The response was served over https (default true); HSTS cannot count otherwise. */
  https?: boolean;
}

/** Anything that holds response headers: fetch `Headers`, Node's header object, or pairs. */
export type HeadersInput =
  | Headers
  | Record<string, string | readonly string[] | number | undefined>
  | Iterable<readonly [string, string]>;

const GRADES: [number, Grade][] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];
const RESULTS = { ...CSP_RESULTS, ...HEADER_RESULTS };

function collect(input: HeadersInput): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  if (Symbol.iterator in input) {
    for (const [name, value] of input as Iterable<readonly [string, string]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) add(name, v);
    }
  }
  return map;
}

/** The Observatory grade band for a score (100 and above is A+). */
export function gradeFor(score: number): Grade {
  return (GRADES.find(([min]) => score >= min) ?? [0, 'F'])[1];
}

/**
 * Grades response headers the way the MDN HTTP Observatory does: start at 100, subtract
 * penalties, and add bonuses only when the result is still 90 or more. Covers the header
 * tests (CSP, HSTS, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, CORP, COOP,
 * COEP); cookies, redirects and SRI need a live site and are not scored.
 *
 * @example
 * const { grade, reasons } = scoreHeaders(response.headers);
 * expect(grade).toBe('A+');
 */
export function scoreHeaders(input: HeadersInput, options: ScoreOptions = {}): HeaderScore {
  const headers = collect(input);
  const all = (name: string) => headers.get(name)?.join(', ').trim();
  const first = (name: string) => headers.get(name)?.[0]?.slice(0, 1024).trim();
  const https = options.https !== false;
  const csp = analyzeCsp(
    all('content-security-policy'),
    headers.has('content-security-policy-report-only'),
    https,
  );
  const results: [string, CspResult | HeaderResult][] = [
    ['content-security-policy', csp.result],
    [
      'strict-transport-security',
      strictTransportSecurity(first('strict-transport-security'), https),
    ],
    ['x-frame-options', frameOptions(first('x-frame-options'), csp.frameAncestors)],
    ['x-content-type-options', contentTypeOptions(first('x-content-type-options'))],
    ['referrer-policy', referrerPolicy(all('referrer-policy'))],
    ['cross-origin-resource-policy', resourcePolicy(first('cross-origin-resource-policy'))],
    ['cross-origin-opener-policy', isolationPolicy('coop', all('cross-origin-opener-policy'))],
    ['cross-origin-embedder-policy', isolationPolicy('coep', all('cross-origin-embedder-policy'))],
  ];
  const reasons = results.map(([test, result]): ScoreReason => {
    const [modifier, description] = RESULTS[result];
    return { test, result, modifier, description };
  });

  const penalties = reasons.reduce((sum, r) => sum + Math.min(r.modifier, 0), 0);
  const bonuses = reasons.reduce((sum, r) => sum + Math.max(r.modifier, 0), 0);
  let score = 100 + penalties;
  if (score >= 90) score += bonuses;
  score = Math.max(score, 0);
  return { score, grade: gradeFor(score), reasons };
}
