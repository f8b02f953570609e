import { createHash } from 'node:crypto';
import { type Answer, ConfigError, getContext, type NeutralRequest } from '@platform/core';
import {
  AuthenticationError,
  AuthorizationError,
  PlatformError,
  ValidationError,
} from '@platform/errors';
import { z } from 'zod';
import type { CostControl } from './control.js';
import { formatUsd } from './money.js';
import { buildReport, reportToCsv, type UsageReport } from './reports.js';

/**
 * The request the cost handlers take.
 * @deprecated Use `NeutralRequest` from @platform/core (the handlers read only its `query`).
 */
export type CostRequest = NeutralRequest;

/**
 * What the cost handlers answer.
 * @deprecated Use `Answer` from @platform/core.
 */
export type CostResponse = Answer;

export interface CostHandlersOptions {
  control: CostControl;
  /** The caller's tenant. Default: core's request context. */
  tenantOf?: () => string | undefined;
  /** Whether the caller may read every tenant (billing, `?tenant=`). Default: never. */
  isAdmin?: () => boolean;
  clock?: () => number;
  /**
   * Renders `format=pdf` reports: pass `reportToPdf` from `@platform/cost/pdf` (needs the
   * optional peer `pdf-lib`). Without it a PDF request answers 406 and JSON and CSV still work.
   */
  pdf?: PdfRenderer;
}

/** Renders a usage report as PDF bytes, e.g. `reportToPdf` from `@platform/cost/pdf`. */
export type PdfRenderer = (report: UsageReport, title?: string) => Promise<Uint8Array>;

/**
 * One GET endpoint: a core neutral handler (`expressRoute`, `fastifyRoute`, `nextRoute` mount
 * it) that reads only the query, so `{ query }` alone is enough to call it directly.
 */
export type CostHandler = (req: Pick<NeutralRequest, 'query'>) => Promise<Answer>;

export interface CostHandlers {
  usage: CostHandler;
  timeseries: CostHandler;
  report: CostHandler;
  budget: CostHandler;
  billing: CostHandler;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const rangeSchema = z.object({
  from: z.string().regex(DAY, 'must be YYYY-MM-DD').optional(),
  to: z.string().regex(DAY, 'must be YYYY-MM-DD').optional(),
  tenant: z.string().min(1).max(200).optional(),
  granularity: z.enum(['day', 'week', 'month']).default('day'),
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
  period: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'must be YYYY-MM')
    .optional(),
});

function parseQuery(q: URLSearchParams) {
  const result = rangeSchema.safeParse(Object.fromEntries(q));
  if (!result.success) {
    throw new ValidationError('Invalid query', {
      errors: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return result.data;
}

/** Sorted keys at every level, so equal data always gives equal bytes (and ETags). */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

function json(value: unknown): Answer {
  const body = stableJson(value);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      etag,
      'cache-control': 'no-store',
    },
    body,
  };
}

/** 406: the host did not pass a PDF renderer, so the report has no PDF representation here. */
function pdfUnavailable(): PlatformError {
  return new PlatformError(
    'PDF reports are not enabled on this server: pass `pdf: reportToPdf` from @platform/cost/pdf (which needs pdf-lib) to costHandlers(). Use format=json or format=csv.',
    {
      category: 'validation',
      code: 'report_format_unavailable',
      status: 406,
      expose: true,
      details: { formats: ['json', 'csv'] },
    },
  );
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Framework-neutral handlers of the usage dashboard and billing API: usage summary,
 * daily timeseries, report export (JSON, CSV, PDF), budget status, and billing (period
 * totals per tenant, stable JSON with an ETag: the same period always answers the same bytes
 * once closed). PDF export needs `options.pdf`. Bindings in `./express`, `./fastify` and `./next` mount them.
 *
 * @example
 * const handlers = costHandlers({ control, isAdmin: () => getContext()?.actor?.roles.includes('admin') ?? false });
 */
export function costHandlers(options: CostHandlersOptions): CostHandlers {
  const { control } = options;
  const clock = options.clock ?? Date.now;
  const isAdmin = options.isAdmin ?? (() => false);
  const tenantOf = options.tenantOf ?? (() => getContext()?.tenantId);
  const renderPdf = options.pdf;
  if (renderPdf !== undefined && typeof renderPdf !== 'function') {
    const message = 'must be a function such as reportToPdf from @platform/cost/pdf';
    throw new ConfigError(`Invalid costHandlers options:\n  - pdf: ${message}`, [
      { path: 'pdf', message },
    ]);
  }

  const scope = (asked: string | undefined): string => {
    const own = tenantOf();
    if (asked !== undefined && asked !== own) {
      if (!isAdmin()) throw new AuthorizationError('You may only read your own tenant');
      return asked;
    }
    if (own === undefined) throw new AuthenticationError('No tenant on this request');
    return own;
  };

  const range = (q: { from?: string; to?: string }, defaultDays: number) => {
    const to = q.to ?? iso(clock());
    const from = q.from ?? iso(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * 86_400_000);
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (Number.isNaN(span) || span < 0 || span > 400) {
      throw new ValidationError('from..to must be a valid range of at most 400 days', {
        errors: [{ path: 'from', message: 'must be on or before to, at most 400 days apart' }],
      });
    }
    return { from, to };
  };

  return {
    async usage(req) {
      const q = parseQuery(req.query);
      const tenant = scope(q.tenant);
      const { from, to } = range(q, 30);
      const byModel = await buildReport(control.ledger, {
        tenant,
        from,
        to,
        granularity: 'month',
        groupBy: ['model'],
      });
      const byUser = await buildReport(control.ledger, {
        tenant,
        from,
        to,
        granularity: 'month',
        groupBy: ['user'],
      });
      return json({
        tenant,
        from,
        to,
        totals: byModel.totals,
        byModel: byModel.rows.map(({ period: _p, ...r }) => r),
        byUser: byUser.rows.map(({ period: _p, ...r }) => r),
      });
    },

    async timeseries(req) {
      const q = parseQuery(req.query);
      const tenant = scope(q.tenant);
      const { from, to } = range(q, 30);
      const report = await buildReport(control.ledger, {
        tenant,
        from,
        to,
        granularity: 'day',
        groupBy: [],
      });
      const byDay = new Map(report.rows.map((r) => [r.period, r]));
      const points = [];
      for (
        let d = Date.parse(`${from}T00:00:00Z`);
        d <= Date.parse(`${to}T00:00:00Z`);
        d += 86_400_000
      ) {
        const day = iso(d);
        const r = byDay.get(day);
        points.push({
          day,
          calls: r?.calls ?? 0,
          totalTokens: r?.totalTokens ?? 0,
          costNanoUsd: r?.costNanoUsd ?? '0',
          costUsd: r?.costUsd ?? '0.000000',
        });
      }
      return json({ tenant, from, to, points });
    },

    async report(req) {
      const q = parseQuery(req.query);
      const tenant = q.tenant === '*' && isAdmin() ? undefined : scope(q.tenant);
      if (q.format === 'pdf' && !renderPdf) throw pdfUnavailable();
      const { from, to } = range(q, 31);
      const report = await buildReport(control.ledger, {
        tenant,
        from,
        to,
        granularity: q.granularity,
      });
      const name = `ai-usage-${tenant ?? 'all'}-${from}-${to}`.replace(/[^A-Za-z0-9._-]/g, '_');
      if (q.format === 'csv') {
        return {
          status: 200,
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${name}.csv"`,
          },
          body: reportToCsv(report),
        };
      }
      if (q.format === 'pdf' && renderPdf) {
        return {
          status: 200,
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `attachment; filename="${name}.pdf"`,
          },
          body: await renderPdf(report),
        };
      }
      return json(report);
    },

    async budget(req) {
      const q = parseQuery(req.query);
      const tenant = scope(q.tenant);
      const actor = getContext()?.actor;
      const status = await control.status({
        tenant,
        user: actor?.type === 'user' ? actor.id : undefined,
      });
      return json({
        ...status,
        limits: status.limits.map((l) =>
          l.metric === 'money'
            ? {
                ...l,
                maxUsd: formatUsd(BigInt(l.max), 6),
                usedUsd: formatUsd(BigInt(l.used), 6),
                remainingUsd: formatUsd(BigInt(l.remaining), 6),
              }
            : l,
        ),
      });
    },

    async billing(req) {
      if (!isAdmin()) throw new AuthorizationError('The billing endpoint is for administrators');
      const q = parseQuery(req.query);
      const period = q.period ?? iso(clock()).slice(0, 7);
      const [y, m] = period.split('-').map(Number) as [number, number];
      const from = `${period}-01`;
      const to = iso(Date.UTC(y, m, 0));
      const report = await buildReport(control.ledger, {
        from,
        to,
        granularity: 'month',
        groupBy: ['tenant'],
      });
      return json({
        period,
        from,
        to,
        currency: 'USD',
        closed: Date.UTC(y, m, 1) + 86_400_000 <= clock(),
        tenants: report.rows.map(({ period: _p, ...r }) => r),
        totals: report.totals,
      });
    },
  };
}
