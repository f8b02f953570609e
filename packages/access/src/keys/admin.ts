import {
  type Answer,
  jsonAnswer,
  jsonBody,
  type NeutralHandler,
  type NeutralRequest,
  subpath,
} from '@platform/core';
import {
  AuthenticationError,
  AuthorizationError,
  ConflictError,
  ValidationError,
} from '@platform/errors';
import { errorAnswer, notFound } from './admin-errors.js';
import { decodeCursor } from './cursor.js';
import type { ApiKeyInfo } from './info.js';
import type { ApiKeys } from './keys.js';
import type { ApiKeyListQuery } from './store.js';

/** What the admin API records: the shape of @platform/audit's `audit.record()` input. */
export interface KeyAuditEvent {
  action: string;
  outcome: 'success' | 'failure';
  tenantId?: string;
  targets: { type: string; id: string; name?: string }[];
  metadata: Record<string, unknown>;
}

export interface ApiKeyAdminOptions {
  keys: ApiKeys;
  /** Decides who may use the API; a refusal is a 403 (401 without an actor). */
  authorize: (request: NeutralRequest) => boolean | Promise<boolean>;
  /** Records every mutation, refused ones too: an `auditTrail()` of @platform/audit fits. */
  audit?: { record(event: KeyAuditEvent): unknown };
}

const NO_STORE = { 'cache-control': 'no-store' };
const ID = /^[0-9a-f]{16}$/;

type Route = { op: 'list' | 'create' } | { op: 'get' | 'rotate' | 'revoke'; id: string };

function routeOf(request: NeutralRequest): Route | undefined {
  const parts = subpath(request).split('/').filter(Boolean);
  const m = request.method;
  if (parts.length === 0)
    return m === 'GET' ? { op: 'list' } : m === 'POST' ? { op: 'create' } : undefined;
  const id = parts[0] as string;
  if (!ID.test(id)) return undefined;
  if (parts.length === 1 && m === 'GET') return { op: 'get', id };
  if (parts.length === 1 && m === 'DELETE') return { op: 'revoke', id };
  if (parts.length === 2 && m === 'POST' && (parts[1] === 'rotate' || parts[1] === 'revoke')) {
    return { op: parts[1], id };
  }
  return undefined;
}

const target = (info: { id: string; name?: string }) => [
  { type: 'api_key', id: info.id, ...(info.name ? { name: info.name } : {}) },
];

async function objectBody(request: NeutralRequest): Promise<Record<string, unknown> | Answer> {
  const body = await jsonBody(request);
  if ('problem' in body) return body.problem;
  if (body.value === undefined) return {};
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    throw new ValidationError('The body must be a JSON object.', { expose: true });
  }
  return body.value as Record<string, unknown>;
}

function listQuery(q: URLSearchParams): ApiKeyListQuery {
  const limit = q.get('limit');
  const cursor = q.get('cursor') ?? undefined;
  const n = limit === null ? undefined : Number(limit);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 500)) {
    throw new ValidationError('limit must be an integer in 1..500.', {
      errors: [{ path: 'limit', message: 'must be an integer in 1..500' }],
    });
  }
  try {
    if (cursor !== undefined) decodeCursor(cursor);
  } catch {
    throw new ValidationError('cursor is not one this API gave out.', {
      errors: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  }
  return {
    tenantId: q.get('tenantId') ?? undefined,
    includeRevoked: q.get('includeRevoked') === 'true',
    limit: n,
    cursor,
  };
}

const isAnswer = (v: unknown): v is Answer => typeof (v as Answer).status === 'number';

/**
 * The admin JSON API of API keys as one neutral handler: `GET /` lists (`tenantId`, `limit`,
 * `cursor`, `includeRevoked`), `POST /` creates (the full key is in this answer only),
 * `GET /:id`, `POST /:id/rotate` (`graceMs`), `POST /:id/revoke` or `DELETE /:id`. Every call
 * passes `authorize` first; every mutation is recorded through `audit` with the key id, never
 * the secret.
 *
 * @example
 * app.use('/admin/api-keys', express.json(), expressRoute(apiKeyAdmin({ keys, authorize, audit })));
 */
export function apiKeyAdmin(options: ApiKeyAdminOptions): NeutralHandler {
  const { keys, authorize, audit } = options;
  const record = (
    action: string,
    outcome: KeyAuditEvent['outcome'],
    info: { id: string; name?: string; tenantId?: string },
    metadata: Record<string, unknown> = {},
  ) => {
    try {
      audit?.record({
        action: `api_key.${action}`,
        outcome,
        ...(info.tenantId ? { tenantId: info.tenantId } : {}),
        targets: target(info),
        metadata,
      });
    } catch {
      // the audit trail never throws into the request; a bad sink must not either
    }
  };
  const shown = (info: ApiKeyInfo) => ({ ...info });

  async function run(request: NeutralRequest, route: Route): Promise<Answer> {
    if (!(await authorize(request))) {
      if (route.op !== 'list' && route.op !== 'get') {
        record(
          route.op,
          'failure',
          { id: 'id' in route ? route.id : 'new' },
          { reason: 'forbidden' },
        );
      }
      if (!request.context?.actor) throw new AuthenticationError();
      throw new AuthorizationError('You may not manage API keys.', { expose: true });
    }
    switch (route.op) {
      case 'list': {
        const page = await keys.list(listQuery(request.query));
        return jsonAnswer(200, { keys: page.keys.map(shown), nextCursor: page.nextCursor ?? null });
      }
      case 'create': {
        const body = await objectBody(request);
        if (isAnswer(body)) return body;
        const issued = await keys.create(body as Parameters<ApiKeys['create']>[0]);
        const { info } = issued;
        record('create', 'success', info, {
          environment: info.environment,
          scopes: info.scopes,
          roles: info.roles,
          ...(info.expiresAt ? { expiresAt: info.expiresAt } : {}),
        });
        return jsonAnswer(201, { key: issued.key, ...shown(info) }, NO_STORE);
      }
      case 'get': {
        const info = await keys.get(route.id);
        if (!info) throw notFound(route.id);
        return jsonAnswer(200, shown(info));
      }
      case 'rotate': {
        const body = await objectBody(request);
        if (isAnswer(body)) return body;
        const graceMs = body.graceMs;
        if (
          graceMs !== undefined &&
          (typeof graceMs !== 'number' || !Number.isInteger(graceMs) || graceMs < 0)
        ) {
          throw new ValidationError('graceMs must be a non-negative integer.', {
            errors: [{ path: 'graceMs', message: 'must be a non-negative integer' }],
          });
        }
        const issued = await keys.rotate(route.id, graceMs === undefined ? {} : { graceMs });
        if (!issued) {
          if (!(await keys.get(route.id))) throw notFound(route.id);
          throw new ConflictError('A revoked API key cannot be rotated.', { expose: true });
        }
        record('rotate', 'success', issued.info, {
          previousValidUntil: issued.info.previousValidUntil,
        });
        return jsonAnswer(200, { key: issued.key, ...shown(issued.info) }, NO_STORE);
      }
      case 'revoke': {
        const info = await keys.revoke(route.id);
        if (!info) throw notFound(route.id);
        record('revoke', 'success', info);
        return jsonAnswer(200, shown(info));
      }
    }
  }

  return async (request) => {
    const route = routeOf(request);
    if (!route) return undefined;
    try {
      return await run(request, route);
    } catch (err) {
      return errorAnswer(err, request);
    }
  };
}
