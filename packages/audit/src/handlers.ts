import { getContext, type RequestContext } from '@platform/core';
import { AuthorizationError, stringifyProblem, toProblem, ValidationError } from '@platform/errors';
import { z } from 'zod';
import { createSigner, type Signer } from './chain.js';
import { exportEvents } from './export.js';
import type { AuditTrail } from './trail.js';

export type AuditOperation = 'search' | 'export' | 'verify';

/** What a framework binding sends back: a JSON body or a stream, and optional trailers. */
export interface AuditHttpResult {
  status: number;
  headers: Record<string, string>;
  body: string | AsyncIterable<string>;
  /** Called after the stream is fully sent (HTTP trailers, where the framework supports them). */
  trailers?: () => Promise<Record<string, string>>;
}

export interface AuditHandlersOptions {
  trail: AuditTrail;
  /** Decides who may read; the host knows its roles. Called with the request context and the tenant asked for. */
  authorize: (request: {
    operation: AuditOperation;
    context: RequestContext | undefined;
    tenantId?: string;
  }) => boolean | Promise<boolean>;
  /** Signs export manifests. Default: a per-process key (see README). */
  signer?: Signer;
  /** Hide error internals. Default NODE_ENV === 'production'. */
  production?: boolean;
  /**
   * Before reading, wait up to this long for the events already recorded to be stored, so a
   * search, export or verify sees the writes made just before it (read-your-writes). On a slow
   * or unreachable store the read goes ahead after the wait with what is stored. Default 2000;
   * 0 reads at once.
   */
  flushTimeoutMs?: number;
}

const date = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const searchSchema = z.object({
  tenant: z.string().max(256).optional(),
  from: date.optional(),
  to: date.optional(),
  actor: z.string().max(256).optional(),
  action: z.string().max(256).optional(),
  targetType: z.string().max(256).optional(),
  targetId: z.string().max(256).optional(),
  outcome: z.enum(['success', 'failure', 'unknown']).optional(),
  requestId: z.string().max(128).optional(),
  q: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(256).optional(),
});
const seq = z.coerce.number().int().positive();
const exportSchema = z.object({
  tenant: z.string().min(1).max(256),
  format: z.enum(['ndjson', 'csv']).default('ndjson'),
  fromSeq: seq.optional(),
  toSeq: seq.optional(),
});
const verifySchema = z.object({
  tenant: z.string().min(1).max(256),
  fromSeq: seq.optional(),
  toSeq: seq.optional(),
});

/**
 * Framework-neutral handlers for the audit log: `search` (JSON page), `export` (CSV or
 * NDJSON stream with a signed manifest) and `verify` (chain check). Every call goes
 * through `authorize` first; reads are themselves audited.
 *
 * @example
 * const handlers = auditHandlers({ trail: audit, authorize: ({ context }) => context?.actor?.roles.includes('admin') ?? false });
 * app.get('/admin/audit', expressAuditHandler(handlers.search));
 */
export function auditHandlers(options: AuditHandlersOptions) {
  const { trail } = options;
  const signer = options.signer ?? createSigner();
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const flushTimeoutMs = options.flushTimeoutMs ?? 2000;
  /** Waits, within the bound, for what was recorded before the read to be stored. */
  const flushPending = async () => {
    if (flushTimeoutMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, flushTimeoutMs);
      timer.unref();
    });
    // a store that fails keeps the events queued (the trail retries); the read goes ahead
    await Promise.race([trail.flush().catch(() => undefined), timeout]);
    clearTimeout(timer);
  };
  const problem = (error: unknown): AuditHttpResult => {
    const p = toProblem(error, {}, { production });
    return { status: p.status, headers: p.headers, body: stringifyProblem(p.body) };
  };
  const json = (body: unknown, status = 200): AuditHttpResult => ({
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    body: JSON.stringify(body),
  });
  const parse = <S extends z.ZodType>(schema: S, query: URLSearchParams): z.output<S> => {
    const r = schema.safeParse(Object.fromEntries(query));
    if (r.success) return r.data;
    throw new ValidationError('Invalid audit query', {
      errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  };
  const guard = async (operation: AuditOperation, tenantId?: string) => {
    const context = getContext();
    if (!(await options.authorize({ operation, context, tenantId }))) {
      trail.record({
        action: `audit.log.${operation}`,
        crud: 'r',
        outcome: 'failure',
        reason: 'not authorized',
        statusCode: 403,
        ...(tenantId && { tenantId }),
      });
      throw new AuthorizationError('Not allowed to read the audit log');
    }
  };
  const wrap =
    (fn: (query: URLSearchParams) => Promise<AuditHttpResult>) =>
    async (query: URLSearchParams): Promise<AuditHttpResult> => {
      try {
        return await fn(query);
      } catch (error) {
        return problem(error);
      }
    };

  return {
    search: wrap(async (query) => {
      const q = parse(searchSchema, query);
      const tenantId = q.tenant ?? getContext()?.tenantId;
      await guard('search', tenantId);
      await flushPending();
      const page = await trail.search({
        tenantId,
        from: q.from,
        to: q.to,
        actorId: q.actor,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        outcome: q.outcome,
        requestId: q.requestId,
        text: q.q,
        limit: q.limit,
        cursor: q.cursor,
      });
      return json(page);
    }),
    export: wrap(async (query) => {
      const q = parse(exportSchema, query);
      await guard('export', q.tenant);
      await flushPending();
      const head = await trail.store.head(q.tenant);
      const toSeq = q.toSeq ?? head?.seq ?? 0;
      const { chunks, manifest } = exportEvents(
        trail.store.export({ tenantId: q.tenant, fromSeq: q.fromSeq, toSeq }),
        {
          tenantId: q.tenant,
          format: q.format,
          signer,
        },
      );
      const ctx = getContext();
      manifest.then(
        (m) =>
          trail.record({
            action: 'audit.log.export',
            crud: 'r',
            tenantId: q.tenant,
            metadata: { manifest: m },
            request: { requestId: ctx?.requestId },
          }),
        () => undefined,
      );
      return {
        status: 200,
        headers: {
          'Content-Type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
          'Content-Disposition': `attachment; filename="audit-${q.tenant.replace(/[^A-Za-z0-9._-]/g, '_')}.${q.format}"`,
          'Cache-Control': 'no-store',
          'X-Audit-To-Seq': String(toSeq),
        },
        body: chunks,
        trailers: async () => ({
          'X-Audit-Manifest': Buffer.from(JSON.stringify(await manifest)).toString('base64'),
        }),
      };
    }),
    verify: wrap(async (query) => {
      const q = parse(verifySchema, query);
      await guard('verify', q.tenant);
      await flushPending();
      const result = await trail.verify({ tenantId: q.tenant, from: q.fromSeq, to: q.toSeq });
      trail.record({
        action: 'audit.log.verify',
        crud: 'r',
        tenantId: q.tenant,
        outcome: result.ok ? 'success' : 'failure',
        metadata: { result },
      });
      return json(result);
    }),
    signer,
  };
}

export type AuditHandlers = ReturnType<typeof auditHandlers>;
export type AuditHandler = AuditHandlers['search'];
