import type { Grade, HeadersInput } from '@platform/headers';
import { optionalPeer } from '../optional.js';
import { type Collector, collected, type Finding, notCollected } from './types.js';

export interface HeaderTarget {
  /** What is scored: `api`, `app`, … */
  name: string;
  /** Fetched (GET, no redirects followed) and its response headers scored. */
  url?: string;
  /** Headers the host already has (a test response, a preset's output). */
  headers?: HeadersInput;
  /** Served over https (default: the url's scheme, or true). */
  https?: boolean;
}

export interface SecurityHeadersOptions {
  targets?: readonly HeaderTarget[];
  /** The lowest grade that passes (default `A`). */
  minimumGrade?: Grade;
  /** Per-url fetch timeout (default 10 s). */
  timeoutMs?: number;
}

const ORDER: Grade[] = ['F', 'D-', 'D', 'D+', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+'];
const COLUMNS = ['target', 'url', 'https', 'score', 'grade', 'passes', 'reasons'] as const;

/**
 * Scores response headers the way the MDN HTTP Observatory does (`@platform/headers`'s
 * `scoreHeaders`), for header sets the host gives or URLs fetched at collection time.
 *
 * @example
 * const headers = securityHeaders({ targets: [{ name: 'app', url: 'https://app.example.com/' }] });
 */
export function securityHeaders(options: SecurityHeadersOptions): Collector {
  const minimum = options.minimumGrade ?? 'A';
  return {
    id: 'security-headers',
    title: 'Security header scores',
    async collect(context) {
      const targets = options.targets ?? [];
      if (targets.length === 0) return notCollected('no header targets configured');
      const headersPackage = await optionalPeer(
        '@platform/headers',
        () => import('@platform/headers'),
      );
      if (!headersPackage) return notCollected('@platform/headers is not installed');
      const { scoreHeaders } = headersPackage;
      const scored = [];
      for (const t of targets) {
        let headers = t.headers;
        if (!headers && t.url) {
          const signal = AbortSignal.any([
            context.signal,
            AbortSignal.timeout(options.timeoutMs ?? 10_000),
          ]);
          const response = await fetch(t.url, { redirect: 'manual', signal });
          await response.body?.cancel();
          headers = response.headers;
        }
        if (!headers) throw new Error(`header target ${t.name} has neither url nor headers`);
        const https = t.https ?? (t.url ? t.url.startsWith('https:') : true);
        const s = scoreHeaders(headers, { https });
        const passes = ORDER.indexOf(s.grade) >= ORDER.indexOf(minimum);
        scored.push({ target: t.name, url: t.url, https, ...s, passes });
      }
      const findings: Finding[] = scored.map((s) => ({
        ok: s.passes,
        detail: `${s.target}: grade ${s.grade} (${s.score}), ${s.passes ? 'meets' : 'below'} ${minimum}`,
      }));
      return collected(
        scored.map((s) => `${s.target} ${s.grade} (${s.score})`).join(', '),
        [
          {
            name: 'security-headers',
            json: { minimumGrade: minimum, scored },
            table: {
              columns: COLUMNS,
              rows: scored.map((s) => [
                s.target,
                s.url,
                s.https,
                s.score,
                s.grade,
                s.passes,
                s.reasons.map((r) => `${r.test}:${r.result}(${r.modifier})`).join(' '),
              ]),
            },
          },
        ],
        findings,
      );
    },
  };
}
