import { getContext } from '@platform/core';
import { NotFoundError, stringifyProblem, toProblem, ValidationError } from '@platform/errors';
import { z } from 'zod';
import type { Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { rolloutSchema, tenantOverrideSchema } from './model.js';
import { flagOperations } from './operations.js';

/** A framework-neutral admin request; `path` is relative to where the handler is mounted. */
export interface AdminRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  /** Who acts (default: the request context's actor id). */
  actor?: string;
}

export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FlagAdminOptions {
  /** Called before every request; throw (e.g. AuthorizationError) to refuse. */
  authorize?: (request: AdminRequest) => void | Promise<void>;
  production?: boolean;
}

const toggleBody = z.strictObject({ enabled: z.boolean() });
const revertBody = z.strictObject({ version: z.number().int().positive() });
const updateBody = z.object({ expectedVersion: z.number().int().min(0).optional() }).passthrough();
const KEY = /^[A-Za-z0-9._-]{1,128}$/;

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new ValidationError(`Invalid ${what}`, {
    errors: r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError('Invalid path', {
      errors: [{ path: 'path', message: 'is not valid percent-encoding' }],
    });
  }
}

const json = (status: number, data: unknown): AdminResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(data),
});

/**
 * Framework-neutral admin API over a flag client: list, get, create, update, toggle,
 * tenant override, rollout, delete, history, revert, analytics and the stale report.
 * Bodies are zod-validated; errors are problem+json.
 *
 * Paths are relative to where it is mounted (e.g. `/admin/flags`):
 *
 * | method | path |
 * |---|---|
 * | GET / POST | `/` (list, create) |
 * | GET / PUT / DELETE | `/:key` (PUT takes `expectedVersion`) |
 * | POST | `/:key/toggle` `{enabled}` |
 * | PUT / DELETE | `/:key/tenants/:tenant` `{enabled?, serve?}` |
 * | PUT | `/:key/rollout` `{percentage \| variants, variant?, stickiness?}` |
 * | GET | `/:key/history` |
 * | POST | `/:key/revert` `{version}` |
 * | GET | `/-/analytics`, `/-/stale?days=30` |
 *
 * @example
 * const admin = flagAdmin(flags, { authorize: requireRole('admin') });
 * const res = await admin({ method: 'POST', path: '/newCheckout/toggle', body: { enabled: false } });
 */
export function flagAdmin<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions = {},
): (request: AdminRequest) => Promise<AdminResponse> {
  const ops = flagOperations(flags);
  const route = async (req: AdminRequest): Promise<AdminResponse> => {
    await options.authorize?.(req);
    const actor = req.actor ?? getContext()?.actor?.id;
    const parts = req.path.split('/').filter(Boolean).map(decodeSegment);
    const method = req.method.toUpperCase();
    const [key, sub, arg] = parts;
    if (key === '-' && parts.length === 2 && method === 'GET') {
      if (sub === 'analytics') return json(200, { items: await ops.analytics() });
      if (sub === 'stale') {
        const { days } = parse(
          z.object({ days: z.coerce.number().int().positive().optional() }),
          { days: req.query?.get('days') ?? undefined },
          'query',
        );
        return json(200, { items: await ops.stale({ notEvaluatedDays: days }) });
      }
    }
    if (key !== undefined && !KEY.test(key))
      throw new ValidationError('Invalid flag key', {
        errors: [{ path: 'key', message: 'must match [A-Za-z0-9._-]{1,128}' }],
      });
    if (key === undefined) {
      if (method === 'GET') return json(200, { items: await ops.list() });
      if (method === 'POST') return json(201, await ops.create(req.body as never, actor));
    } else if (sub === undefined) {
      if (method === 'GET') return json(200, await ops.get(key));
      if (method === 'PUT') {
        const { expectedVersion, ...flag } = parse(updateBody, req.body, 'flag');
        return json(200, await ops.update({ ...flag, key } as never, expectedVersion, actor));
      }
      if (method === 'DELETE') {
        await ops.remove(key, actor);
        return { status: 204, headers: {}, body: '' };
      }
    } else if (sub === 'toggle' && method === 'POST') {
      return json(200, await ops.toggle(key, parse(toggleBody, req.body, 'toggle').enabled, actor));
    } else if (sub === 'tenants' && arg !== undefined && parts.length === 3) {
      if (method === 'PUT')
        return json(
          200,
          await ops.setTenantOverride(
            key,
            arg,
            parse(tenantOverrideSchema, req.body, 'tenant override'),
            actor,
          ),
        );
      if (method === 'DELETE') return json(200, await ops.setTenantOverride(key, arg, null, actor));
    } else if (sub === 'rollout' && method === 'PUT') {
      const { variant, ...rest } = (req.body ?? {}) as Record<string, unknown>;
      const v = parse(
        z.object({ variant: z.string().min(1).max(200).optional() }),
        { variant },
        'rollout',
      ).variant;
      return json(200, await ops.setRollout(key, parse(rolloutSchema, rest, 'rollout'), v, actor));
    } else if (sub === 'history' && method === 'GET') {
      return json(200, { items: await ops.history(key) });
    } else if (sub === 'revert' && method === 'POST') {
      return json(200, await ops.revert(key, parse(revertBody, req.body, 'revert').version, actor));
    }
    throw new NotFoundError(`No admin route ${method} ${req.path}`);
  };
  return async (req) => {
    try {
      return await route(req);
    } catch (err) {
      const p = toProblem(err, { instance: req.path }, { production: options.production });
      return { status: p.status, headers: p.headers, body: stringifyProblem(p.body) };
    }
  };
}
