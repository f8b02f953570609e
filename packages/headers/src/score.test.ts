import { describe, expect, it } from 'vitest';
import { gradeFor, type HeaderScore, scoreHeaders } from './score.js';
import { createSecurityHeaders } from './security-headers.js';

const resultOf = (score: HeaderScore, test: string) => score.reasons.find((r) => r.test === test);
const cspResult = (csp: string, extra: Record<string, string> = {}) =>
  resultOf(scoreHeaders({ 'content-security-policy': csp, ...extra }), 'content-security-policy');

describe('scoreHeaders', () => {
  it.each(['html', 'api'] as const)('grades the %s preset A+', (preset) => {
    const score = scoreHeaders(
      new Headers(createSecurityHeaders({ preset }).forResponse().headers),
    );
    expect(score.grade).toBe('A+');
    expect(score.reasons.filter((r) => r.modifier < 0)).toEqual([]);
  });

  it('grades the api preset higher for default-src none', () => {
    const score = scoreHeaders(
      new Headers(createSecurityHeaders({ preset: 'api' }).forResponse().headers),
    );
    expect(score.score).toBe(140);
    expect(resultOf(score, 'content-security-policy')).toMatchObject({
      result: 'csp-implemented-with-no-unsafe-default-src-none',
      modifier: 10,
    });
  });

  it('gives no headers an F with every reason', () => {
    const score = scoreHeaders({});
    expect(score).toMatchObject({ score: 30, grade: 'D' });
    expect(score.reasons.map((r) => [r.result, r.modifier])).toEqual([
      ['csp-not-implemented', -25],
      ['hsts-not-implemented', -20],
      ['x-frame-options-not-implemented', -20],
      ['x-content-type-options-not-implemented', -5],
      ['referrer-policy-not-implemented', 0],
      ['corp-not-implemented', 0],
      ['coop-not-implemented', 0],
      ['coep-not-implemented', 0],
    ]);
  });

  it('grades an unsafe CSP over http low, naming each reason', () => {
    const score = scoreHeaders(
      {
        'content-security-policy': "default-src * 'unsafe-inline' 'unsafe-eval'",
        'referrer-policy': 'unsafe-url',
      },
      { https: false },
    );
    expect(score).toMatchObject({ score: 30, grade: 'D' });
    expect(score.reasons.filter((r) => r.modifier < 0).map((r) => r.result)).toEqual([
      'csp-implemented-with-unsafe-inline',
      'hsts-not-implemented-no-https',
      'x-frame-options-not-implemented',
      'x-content-type-options-not-implemented',
      'referrer-policy-unsafe',
    ]);
  });

  it('fails a set of malformed headers', () => {
    const score = scoreHeaders({
      'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'",
      'strict-transport-security': 'max-age=forever',
      'x-frame-options': 'SOMETIMES',
      'x-content-type-options': 'sniff',
      'referrer-policy': 'origin',
      'cross-origin-resource-policy': 'anyone',
      'cross-origin-opener-policy': 'same-origin, unsafe-none',
      'cross-origin-embedder-policy': 'require',
    });
    expect(score).toMatchObject({ score: 15, grade: 'F' });
    expect(score.reasons.every((r) => r.modifier < 0)).toBe(true);
  });

  it('withholds bonuses below 90', () => {
    const score = scoreHeaders({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'strict-transport-security': 'max-age=31536000',
      'cross-origin-resource-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(score.score).toBe(75);
    expect(score.grade).toBe('B');
  });

  it('grades helmet-like defaults without nonces A+ despite unsafe styles', () => {
    const score = scoreHeaders({
      'content-security-policy':
        "default-src 'self';script-src 'self';style-src 'self' https: 'unsafe-inline';object-src 'none'",
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
    });
    expect(resultOf(score, 'content-security-policy')?.result).toBe(
      'csp-implemented-with-unsafe-inline-in-style-src-only',
    );
    expect(score).toMatchObject({ score: 105, grade: 'A+' });
  });

  it.each([
    ["default-src 'self'", 'csp-implemented-with-no-unsafe'],
    ["default-src 'none'", 'csp-implemented-with-no-unsafe-default-src-none'],
    ["default-src 'self'; script-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline'],
    ["default-src 'self'; script-src 'self' data:", 'csp-implemented-with-unsafe-inline'],
    ["default-src 'self'; object-src https:", 'csp-implemented-with-unsafe-inline'],
    ["script-src 'self'", 'csp-implemented-with-unsafe-inline'],
    [
      "default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'",
      'csp-implemented-with-no-unsafe',
    ],
    [
      "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic' https: 'unsafe-inline'",
      'csp-implemented-with-no-unsafe',
    ],
    ["default-src 'self'; script-src 'self' 'strict-dynamic'", 'csp-header-invalid'],
    ["default-src 'self'; script-src 'self' 'unsafe-eval'", 'csp-implemented-with-unsafe-eval'],
    ["default-src 'self'; connect-src http://api.example", 'csp-implemented-with-insecure-scheme'],
    [
      "default-src 'self'; img-src http://img.example",
      'csp-implemented-with-insecure-scheme-in-passive-content-only',
    ],
    [
      "default-src 'self'; style-src 'self' 'unsafe-inline'",
      'csp-implemented-with-unsafe-inline-in-style-src-only',
    ],
    ["default-src 'self'; img-src 'self'; img-src *", 'csp-header-invalid'],
    [
      "default-src 'none'; report-uri /a; report-uri /b",
      'csp-implemented-but-duplicate-directives',
    ],
    ['none', 'csp-header-invalid'],
  ])('grades CSP %s as %s', (csp, result) => {
    expect(cspResult(csp)?.result).toBe(result);
  });

  it('combines several policies so only sources all of them allow count', () => {
    expect(cspResult("default-src 'self', script-src 'self' 'unsafe-inline'")?.result).toBe(
      'csp-implemented-with-unsafe-inline',
    );
    expect(cspResult("default-src 'self' https://a.example, default-src 'self'")?.result).toBe(
      'csp-implemented-with-no-unsafe',
    );
  });

  it('penalizes a report-only policy like a missing one', () => {
    const score = scoreHeaders({ 'content-security-policy-report-only': "default-src 'self'" });
    expect(resultOf(score, 'content-security-policy')).toMatchObject({
      result: 'csp-not-implemented-but-reporting-enabled',
      modifier: -25,
    });
  });

  it.each([
    ['max-age=15552000', 'hsts-implemented-max-age-at-least-six-months', 0],
    ['max-age=86400; includeSubDomains', 'hsts-implemented-max-age-less-than-six-months', -10],
    ['includeSubDomains', 'hsts-header-invalid', -20],
    ['max-age=1y', 'hsts-header-invalid', -20],
    ['max-age=31536000, max-age=0', 'hsts-header-invalid', -20],
  ])('grades HSTS %s', (value, result, modifier) => {
    expect(
      resultOf(scoreHeaders({ 'strict-transport-security': value }), 'strict-transport-security'),
    ).toMatchObject({ result, modifier });
  });

  it.each([
    [{ 'x-frame-options': 'deny' }, 'x-frame-options-sameorigin-or-deny', 5],
    [{ 'x-frame-options': 'ALLOW-FROM https://a.example' }, 'x-frame-options-allow-from-origin', 0],
    [{ 'x-frame-options': 'maybe' }, 'x-frame-options-header-invalid', -20],
    [
      { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" },
      'x-frame-options-implemented-via-csp',
      5,
    ],
    [
      { 'content-security-policy-report-only': "default-src 'self'; frame-ancestors 'none'" },
      'x-frame-options-not-implemented',
      -20,
    ],
  ])('grades framing protection %j', (headers, result, modifier) => {
    expect(resultOf(scoreHeaders(headers), 'x-frame-options')).toMatchObject({ result, modifier });
  });

  it.each([
    ['no-referrer', 'referrer-policy-private', 5],
    ['unsafe-url, strict-origin-when-cross-origin', 'referrer-policy-private', 5],
    ['strict-origin, no-referrer-when-downgrade', 'referrer-policy-unsafe', -5],
    ['nonsense', 'referrer-policy-header-invalid', -5],
  ])('grades Referrer-Policy %s', (value, result, modifier) => {
    expect(resultOf(scoreHeaders({ 'referrer-policy': value }), 'referrer-policy')).toMatchObject({
      result,
      modifier,
    });
  });

  it.each([
    ['cross-origin-resource-policy', 'same-site', 'corp-implemented-with-same-site', 10],
    ['cross-origin-resource-policy', 'cross-origin', 'corp-implemented-with-cross-origin', 0],
    ['cross-origin-resource-policy', 'open', 'corp-header-invalid', -5],
    [
      'cross-origin-opener-policy',
      'same-origin; report-to="coop"',
      'coop-implemented-with-same-origin',
      10,
    ],
    [
      'cross-origin-opener-policy',
      'noopener-allow-popups',
      'coop-implemented-with-noopener-allow-popups',
      10,
    ],
    ['cross-origin-opener-policy', 'unsafe-none', 'coop-implemented-with-unsafe-none', 0],
    ['cross-origin-opener-policy', '"same-origin"', 'coop-header-invalid', -5],
    ['cross-origin-opener-policy', 'same-origin; report-to=a b', 'coop-header-invalid', -5],
    ['cross-origin-embedder-policy', 'credentialless', 'coep-implemented-with-credentialless', 10],
    ['cross-origin-embedder-policy', 'require-corp', 'coep-implemented-with-require-corp', 10],
    ['cross-origin-embedder-policy', 'unsafe-none', 'coep-implemented-with-unsafe-none', 0],
  ])('grades %s: %s', (header, value, result, modifier) => {
    expect(resultOf(scoreHeaders({ [header]: value }), header)).toMatchObject({ result, modifier });
  });

  it('treats repeated COOP headers as invalid', () => {
    const headers = new Headers([
      ['cross-origin-opener-policy', 'same-origin'],
      ['cross-origin-opener-policy', 'unsafe-none'],
    ]);
    expect(resultOf(scoreHeaders(headers), 'cross-origin-opener-policy')?.result).toBe(
      'coop-header-invalid',
    );
  });

  it.each([
    [135, 'A+'],
    [100, 'A+'],
    [99, 'A'],
    [90, 'A'],
    [89, 'A-'],
    [85, 'A-'],
    [80, 'B+'],
    [79, 'B'],
    [70, 'B'],
    [65, 'B-'],
    [60, 'C+'],
    [50, 'C'],
    [45, 'C-'],
    [40, 'D+'],
    [30, 'D'],
    [25, 'D-'],
    [24, 'F'],
    [0, 'F'],
  ])('maps a score of %i to %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});
