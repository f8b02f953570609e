import {
  type Answer,
  emptyAnswer,
  getContext,
  jsonAnswer,
  jsonBody,
  type NeutralRequest,
  subpath,
} from '@platform/core';
import { NotFoundError, stringifyProblem, toProblem, ValidationError } from '@platform/errors';
import { z } from 'zod';
import type { Flags } from './client.js';
import type { DefinitionMap } from './define.js';
import { rolloutSchema, tenantOverrideSchema } from './model.js';
import { type FlagOperations, flagOperations } from './operations.js';

/**
 * The admin request before core's neutral request: `path` relative to the mount point.
 * @deprecated Pass core's `NeutralRequest` (the bindings build it).
 */
export interface AdminRequest {
  method: string;
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  /** Who acts (default: the request context's actor id). */
  actor?: string;
}

/**
 * The answer to an `AdminRequest`: core's `Answer` with the body as text (`''` for none).
 * @deprecated Pass a `NeutralRequest` and get core's `Answer`.
 */
export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FlagAdminOptions {
  /** Called before every request; throw (e.g. AuthorizationError) to refuse. */
  authorize?: (request: NeutralRequest) => void | Promise<void>;
  production?: boolean;
}

/** The admin API as a core neutral handler (it answers every request it is given). */
export interface FlagAdmin {
  (request: NeutralRequest): Promise<Answer>;
  /** @deprecated Pass a `NeutralRequest`. */
  (request: AdminRequest): Promise<AdminResponse>;
}

/** One admin request, parsed: who acts, on which path below the mount point, with what. */
interface Call {
  ops: FlagOperations;
  method: string;
  parts: string[];
  query: URLSearchParams;
  body: unknown;
  actor?: string;
}

const toggleBody = z.strictObject({ enabled: z.boolean() });
const revertBody = z.strictObject({ version: z.number().int().positive() });
const updateBody = z.object({ expectedVersion: z.number().int().min(0).optional() }).passthrough();
const staleQuery = z.object({ days: z.coerce.number().int().positive().optional() });
const rolloutVariant = z.object({ variant: z.string().min(1).max(200).optional() });
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

/** `GET /-/analytics` and `GET /-/stale?days=`. */
async function reports(c: Call, name: string | undefined): Promise<Answer | undefined> {
  if (name === 'analytics') return jsonAnswer(200, { items: await c.ops.analytics() });
  if (name !== 'stale') return undefined;
  const { days } = parse(staleQuery, { days: c.query.get('days') ?? undefined }, 'query');
  return jsonAnswer(200, { items: await c.ops.stale({ notEvaluatedDays: days }) });
}

/** `GET /` lists, `POST /` creates. */
async function collection(c: Call): Promise<Answer | undefined> {
  if (c.method === 'GET') return jsonAnswer(200, { items: await c.ops.list() });
  if (c.method === 'POST') return jsonAnswer(201, await c.ops.create(c.body as never, c.actor));
  return undefined;
}

/** `GET`, `PUT` (with `expectedVersion`) and `DELETE /:key`. */
async function flag(c: Call, key: string): Promise<Answer | undefined> {
  if (c.method === 'GET') return jsonAnswer(200, await c.ops.get(key));
  if (c.method === 'PUT') {
    const { expectedVersion, ...state } = parse(updateBody, c.body, 'flag');
    return jsonAnswer(
      200,
      await c.ops.update({ ...state, key } as never, expectedVersion, c.actor),
    );
  }
  if (c.method !== 'DELETE') return undefined;
  await c.ops.remove(key, c.actor);
  return emptyAnswer(204);
}

/** `PUT` / `DELETE /:key/tenants/:tenant`. */
async function tenantOverride(c: Call, key: string, tenant: string): Promise<Answer | undefined> {
  if (c.method === 'DELETE')
    return jsonAnswer(200, await c.ops.setTenantOverride(key, tenant, null, c.actor));
  if (c.method !== 'PUT') return undefined;
  const override = parse(tenantOverrideSchema, c.body, 'tenant override');
  return jsonAnswer(200, await c.ops.setTenantOverride(key, tenant, override, c.actor));
}

/** `PUT /:key/rollout` `{percentage | variants, variant?, stickiness?}`. */
async function rollout(c: Call, key: string): Promise<Answer> {
  const { variant, ...rest } = (c.body ?? {}) as Record<string, unknown>;
  const v = parse(rolloutVariant, { variant }, 'rollout').variant;
  return jsonAnswer(
    200,
    await c.ops.setRollout(key, parse(rolloutSchema, rest, 'rollout'), v, c.actor),
  );
}

/** The routes below `/:key/`: toggle, tenants, rollout, history, revert. */
async function action(c: Call, key: string): Promise<Answer | undefined> {
  const [, sub, arg] = c.parts;
  if (sub === 'toggle' && c.method === 'POST') {
    const { enabled } = parse(toggleBody, c.body, 'toggle');
    return jsonAnswer(200, await c.ops.toggle(key, enabled, c.actor));
  }
  if (sub === 'tenants' && arg !== undefined && c.parts.length === 3)
    return tenantOverride(c, key, arg);
  if (sub === 'rollout' && c.method === 'PUT') return rollout(c, key);
  if (sub === 'history' && c.method === 'GET')
    return jsonAnswer(200, { items: await c.ops.history(key) });
  if (sub === 'revert' && c.method === 'POST') {
    const { version } = parse(revertBody, c.body, 'revert');
    return jsonAnswer(200, await c.ops.revert(key, version, c.actor));
  }
  return undefined;
}

async function dispatch(c: Call): Promise<Answer | undefined> {
  const [key, sub] = c.parts;
  if (key === '-' && c.parts.length === 2 && c.method === 'GET') {
    const answer = await reports(c, sub);
    if (answer) return answer;
  }
  if (key === undefined) return collection(c);
  if (!KEY.test(key))
    throw new ValidationError('Invalid flag key', {
      errors: [{ path: 'key', message: 'must match [A-Za-z0-9._-]{1,128}' }],
    });
  return sub === undefined ? flag(c, key) : action(c, key);
}

/** The problem+json answer of an error (header names lower-cased, as `Answer` has them). */
function problemOf(err: unknown, instance: string, production: boolean | undefined): Answer {
  const p = toProblem(err, { instance }, { production });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.headers)) headers[name.toLowerCase()] = value;
  return { status: p.status, headers, body: stringifyProblem(p.body) };
}

const hasBody = (method: string) => method === 'POST' || method === 'PUT';

function isNeutral(req: NeutralRequest | AdminRequest): req is NeutralRequest {
  return typeof (req as NeutralRequest).header === 'function';
}

/** Wraps an `AdminRequest` as a neutral request mounted at the root. */
function fromAdminRequest(req: AdminRequest): NeutralRequest {
  return {
    method: req.method,
    path: req.path,
    base: '',
    query: req.query ?? new URLSearchParams(),
    header: () => undefined,
    body: req.body,
  };
}

function toAdminResponse(answer: Answer): AdminResponse {
  const body = typeof answer.body === 'string' ? answer.body : '';
  return { status: answer.status, headers: answer.headers, body };
}

/**
 * The admin API over a flag client, as a core neutral handler: list, get, create, update,
 * toggle, tenant override, rollout, delete, history, revert, analytics and the stale report.
 * Bodies are zod-validated (the framework's parsed body, else read as JSON here); errors
 * are problem+json. Mount it with `flagAdminRouter` (Express), `fastifyFlagAdmin` or
 * `nextFlagAdmin`, or any core binding (`expressRoute`, `fastifyRoute`, `nextRoute`).
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
 * app.use('/admin/flags', expressRoute(admin));
 */
export function flagAdmin<D extends DefinitionMap>(
  flags: Flags<D>,
  options: FlagAdminOptions = {},
): FlagAdmin {
  const ops = flagOperations(flags);
  const answer = async (req: NeutralRequest, actor?: string): Promise<Answer> => {
    const rest = subpath(req);
    try {
      await options.authorize?.(req);
      const method = req.method.toUpperCase();
      const read = hasBody(method) ? await jsonBody(req) : { value: undefined };
      if ('problem' in read) return read.problem;
      const answered = await dispatch({
        ops,
        method,
        parts: rest.split('/').filter(Boolean).map(decodeSegment),
        query: req.query,
        body: read.value,
        actor: actor ?? (req.context ?? getContext())?.actor?.id,
      });
      if (answered) return answered;
      throw new NotFoundError(`No admin route ${method} /${rest}`);
    } catch (err) {
      return problemOf(err, `/${rest}`, options.production);
    }
  };
  const admin = (req: NeutralRequest | AdminRequest) =>
    isNeutral(req) ? answer(req) : answer(fromAdminRequest(req), req.actor).then(toAdminResponse);
  return admin as FlagAdmin;
}
