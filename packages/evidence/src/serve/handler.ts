import type { AuditInput } from '@platform/audit';
import {
  type Answer,
  type DiagnosticsOptions,
  diagnostics,
  getContext,
  jsonBody,
  type NeutralHandler,
  type NeutralRequest,
  problemAnswer,
  type RequestContext,
} from '@platform/core';
import { z } from 'zod';
import { buildPack } from '../pack/build.js';
import { sha256 } from '../pack/manifest.js';
import type { EvidencePackInput } from '../pack/options.js';
import { writeTarGz } from '../pack/tar.js';

/** Everything a pack needs except what the request names (period and tenant). */
export type PackSettings = Omit<EvidencePackInput, 'period' | 'tenant'>;

export interface EvidenceHandlerOptions extends DiagnosticsOptions {
  /** The pack's collectors, templates and signing key; a function is called per request. */
  pack: PackSettings | (() => PackSettings | Promise<PackSettings>);
  /** Who may generate packs; the host knows its roles. */
  authorize: (request: {
    /** The request context (actor, roles, tenant) core's bindings opened. */
    context: RequestContext | undefined;
    /** The tenant the pack is asked for (absent: every tenant). */
    tenant?: string;
    request: NeutralRequest;
  }) => boolean | Promise<boolean>;
  /** Records each generation and refusal as `evidence.pack.generate` (an `@platform/audit` trail). */
  audit?: { record(input: AuditInput): unknown };
  /** Hide error details (default NODE_ENV === 'production'). */
  production?: boolean;
}

const instant = z.iso.datetime({ offset: true });
const bodySchema = z
  .object({ from: instant, to: instant, tenant: z.string().min(1).max(256).optional() })
  .strict()
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), {
    message: 'from must be before to',
    path: ['from'],
  });

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * A neutral handler that generates a pack on demand: `POST` a JSON body
 * `{ from, to, tenant? }` (ISO instants), get the signed `.tar.gz` back. `authorize` decides
 * first (403 otherwise); one pack is generated at a time (503 with `retry-after` meanwhile).
 * Mount it with core's `expressRoute`, `fastifyRoute`, `nextRoute` or `honoRoute`.
 *
 * @example
 * const generate = evidenceHandler({ pack: { collectors, signingKey }, authorize: ({ context }) => context?.actor?.roles?.includes('admin') ?? false });
 */
export function evidenceHandler(options: EvidenceHandlerOptions): NeutralHandler {
  const diag = diagnostics('@platform/evidence', options);
  const production = options.production ?? process.env.NODE_ENV === 'production';
  let busy = false;
  const record = (input: Omit<AuditInput, 'action'>) => {
    try {
      options.audit?.record({ action: 'evidence.pack.generate', crud: 'c', ...input });
    } catch (error) {
      diag.error('EVIDENCE_AUDIT', error);
    }
  };
  return async (request): Promise<Answer> => {
    if (request.method !== 'POST')
      return problemAnswer(
        405,
        { title: 'Method Not Allowed', detail: 'POST a period to generate a pack.' },
        { allow: 'POST' },
      );
    const context = request.context ?? getContext();
    const read = await jsonBody(request, 16_384);
    if ('problem' in read) return read.problem;
    const parsed = bodySchema.safeParse(read.value ?? {});
    if (!parsed.success)
      return problemAnswer(400, {
        title: 'Bad Request',
        detail: 'The body must be { "from": ISO instant, "to": ISO instant, "tenant"?: string }.',
        errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const { from, to, tenant } = parsed.data;
    const scope = {
      ...(tenant && { tenantId: tenant }),
      metadata: { from, to, tenant: tenant ?? null },
    };
    let allowed = false;
    try {
      allowed = await options.authorize({ context, request, ...(tenant && { tenant }) });
    } catch (error) {
      diag.error('EVIDENCE_AUTHORIZE', error);
    }
    if (!allowed) {
      record({ ...scope, outcome: 'failure', reason: 'not authorized', statusCode: 403 });
      return problemAnswer(403, {
        title: 'Forbidden',
        detail: 'Not allowed to generate evidence packs.',
      });
    }
    if (busy)
      return problemAnswer(
        503,
        { title: 'Service Unavailable', detail: 'A pack is being generated; retry shortly.' },
        { 'retry-after': '5' },
      );
    busy = true;
    try {
      const settings = typeof options.pack === 'function' ? await options.pack() : options.pack;
      const pack = await buildPack({
        ...settings,
        period: { from, to },
        ...(tenant && { tenant }),
      });
      const archive = await writeTarGz(pack.entries, pack.generatedAt.getTime());
      const manifest = pack.entries.find((e) => e.path === 'manifest.json');
      const digest = manifest ? sha256(manifest.data) : '';
      record({
        ...scope,
        outcome: 'success',
        metadata: { ...scope.metadata, manifestSha256: digest, files: pack.manifest.files.length },
      });
      const name =
        `evidence-${tenant ?? 'all'}-${from.slice(0, 10)}-${to.slice(0, 10)}.tar.gz`.replace(
          /[^A-Za-z0-9._-]/g,
          '_',
        );
      return {
        status: 200,
        headers: {
          'content-type': 'application/gzip',
          'content-disposition': `attachment; filename="${name}"`,
          'x-evidence-manifest-sha256': digest,
          ...NO_STORE,
        },
        body: new Uint8Array(archive),
      };
    } catch (error) {
      diag.error('EVIDENCE_GENERATE', error);
      record({ ...scope, outcome: 'failure', reason: 'generation failed', statusCode: 500 });
      return problemAnswer(500, {
        title: 'Internal Server Error',
        detail: production
          ? 'The evidence pack could not be generated.'
          : `The evidence pack could not be generated: ${(error as Error).message}`,
      });
    } finally {
      busy = false;
    }
  };
}
