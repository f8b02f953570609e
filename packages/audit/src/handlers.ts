import {
  type Answer,
  getContext,
  jsonAnswer,
  type NeutralRequest,
  type RequestContext,
} from '@platform/core';
import { AuthorizationError, stringifyProblem, toProblem, ValidationError } from '@platform/errors';
import { z } from 'zod';
import { createSigner, type Signer } from './chain.js';
import { exportEvents } from './export.js';
import type { AuditTrail } from './trail.js';

export type AuditOperation = 'search' | 'export' | 'verify';

/**
 * What the handlers answer: core's `Answer` (a JSON body, or a streamed export whose signed
 * manifest follows in the `x-audit-manifest` trailer).
 *
 * @deprecated Use `Answer` from `@platform/core`.
 */
export type AuditHttpResult = Answer;

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

/**
 * One of the handlers: core's neutral request in, core's answer out, so every framework
 * binding mounts it the same way. A bare `URLSearchParams` (the query) is still accepted.
 */
export type AuditHandler = (request: NeutralRequest | URLSearchParams) => Promise<Answer>;

export interface AuditHandlers {
  /** A JSON page of events, newest first (`tenant`, `from`, `to`, `actor`, `action`, ..., `cursor`). */
  search: AuditHandler;
  /** A tenant's chain as a CSV or NDJSON stream, its signed manifest in the `x-audit-manifest` trailer. */
  export: AuditHandler;
  /** Checks a tenant's chain (`fromSeq`, `toSeq`). */
  verify: AuditHandler;
  /** The key export manifests are signed with. */
  signer: Signer;
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

/** What every handler works with: the options, resolved once. */
interface Setup {
  trail: AuditTrail;
  authorize: AuditHandlersOptions['authorize'];
  signer: Signer;
  production: boolean;
  flushTimeoutMs: number;
}

/** One request as the handlers see it: the query and the request context. */
interface Call {
  query: URLSearchParams;
  context: RequestContext | undefined;
}

const NO_STORE = { 'cache-control': 'no-store' };

function callOf(request: NeutralRequest | URLSearchParams): Call {
  if (request instanceof URLSearchParams) return { query: request, context: getContext() };
  return { query: request.query, context: request.context ?? getContext() };
}

function parse<S extends z.ZodType>(schema: S, query: URLSearchParams): z.output<S> {
  const r = schema.safeParse(Object.fromEntries(query));
  if (r.success) return r.data;
  throw new ValidationError('Invalid audit query', {
    errors: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

function problem(error: unknown, production: boolean): Answer {
  const p = toProblem(error, {}, { production });
  const headers: Record<string, string> = {};
  for (const name in p.headers) headers[name.toLowerCase()] = p.headers[name] as string;
  return { status: p.status, headers, body: stringifyProblem(p.body) };
}

/** Waits, within the bound, for what was recorded before the read to be stored. */
async function flushPending(setup: Setup): Promise<void> {
  if (setup.flushTimeoutMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, setup.flushTimeoutMs);
    timer.unref();
  });
  // a store that fails keeps the events queued (the trail retries); the read goes ahead
  await Promise.race([setup.trail.flush().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

/**
 * Asks `authorize` (a refusal is itself recorded, then answered 403), then waits for the
 * events recorded before the read.
 */
async function admit(
  setup: Setup,
  call: Call,
  operation: AuditOperation,
  tenantId: string | undefined,
): Promise<void> {
  if (await setup.authorize({ operation, context: call.context, tenantId })) {
    await flushPending(setup);
    return;
  }
  setup.trail.record({
    action: `audit.log.${operation}`,
    crud: 'r',
    outcome: 'failure',
    reason: 'not authorized',
    statusCode: 403,
    ...(tenantId && { tenantId }),
  });
  throw new AuthorizationError('Not allowed to read the audit log');
}

async function search(setup: Setup, call: Call): Promise<Answer> {
  const q = parse(searchSchema, call.query);
  const tenantId = q.tenant ?? call.context?.tenantId;
  await admit(setup, call, 'search', tenantId);
  const page = await setup.trail.search({
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
  return jsonAnswer(200, page, NO_STORE);
}

async function exportChain(setup: Setup, call: Call): Promise<Answer> {
  const q = parse(exportSchema, call.query);
  await admit(setup, call, 'export', q.tenant);
  const { trail } = setup;
  const head = await trail.store.head(q.tenant);
  const toSeq = q.toSeq ?? head?.seq ?? 0;
  const { chunks, manifest } = exportEvents(
    trail.store.export({ tenantId: q.tenant, fromSeq: q.fromSeq, toSeq }),
    { tenantId: q.tenant, format: q.format, signer: setup.signer },
  );
  const requestId = call.context?.requestId;
  manifest.then(
    (m) =>
      trail.record({
        action: 'audit.log.export',
        crud: 'r',
        tenantId: q.tenant,
        metadata: { manifest: m },
        request: { requestId },
      }),
    () => undefined,
  );
  const file = `audit-${q.tenant.replace(/[^A-Za-z0-9._-]/g, '_')}.${q.format}`;
  return {
    status: 200,
    headers: {
      'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
      'x-audit-to-seq': String(toSeq),
    },
    body: chunks,
    trailers: async () => ({
      'x-audit-manifest': Buffer.from(JSON.stringify(await manifest)).toString('base64'),
    }),
    trailerNames: ['x-audit-manifest'],
  };
}

async function verify(setup: Setup, call: Call): Promise<Answer> {
  const q = parse(verifySchema, call.query);
  await admit(setup, call, 'verify', q.tenant);
  const result = await setup.trail.verify({ tenantId: q.tenant, from: q.fromSeq, to: q.toSeq });
  setup.trail.record({
    action: 'audit.log.verify',
    crud: 'r',
    tenantId: q.tenant,
    outcome: result.ok ? 'success' : 'failure',
    metadata: { result },
  });
  return jsonAnswer(200, result, NO_STORE);
}

/** A handler that answers every error (bad query, refusal, store failure) as problem+json. */
function handler(setup: Setup, run: (setup: Setup, call: Call) => Promise<Answer>): AuditHandler {
  return async (request) => {
    try {
      return await run(setup, callOf(request));
    } catch (error) {
      return problem(error, setup.production);
    }
  };
}

/**
 * Framework-neutral handlers for the audit log: `search` (JSON page), `export` (CSV or
 * NDJSON stream with a signed manifest) and `verify` (chain check). Each takes core's
 * `NeutralRequest` and returns core's `Answer`; every call goes through `authorize` first,
 * and reads are themselves audited.
 *
 * @example
 * const handlers = auditHandlers({ trail: audit, authorize: ({ context }) => context?.actor?.roles.includes('admin') ?? false });
 * app.get('/admin/audit/events', auditRoute(handlers.search));
 */
export function auditHandlers(options: AuditHandlersOptions): AuditHandlers {
  const setup: Setup = {
    trail: options.trail,
    authorize: options.authorize,
    signer: options.signer ?? createSigner(),
    production: options.production ?? process.env.NODE_ENV === 'production',
    flushTimeoutMs: options.flushTimeoutMs ?? 2000,
  };
  return {
    search: handler(setup, search),
    export: handler(setup, exportChain),
    verify: handler(setup, verify),
    signer: setup.signer,
  };
}
