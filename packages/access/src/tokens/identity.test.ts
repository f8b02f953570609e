import { type PlatformLogger, type RequestContext, setDefaultLogger } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessError } from '../roles/refusal.js';
import { authenticator, type Credential, establishIdentity, identityClaims } from './identity.js';

const ctx = (extra: Partial<RequestContext> = {}): RequestContext => ({
  requestId: 'r-1',
  method: 'GET',
  path: '/',
  startTime: 0,
  ...extra,
});
const request = { header: () => undefined };
const ann: Credential = () => ({
  actor: { type: 'user', id: 'ann', roles: ['viewer'] },
  tenantId: 'acme',
  claims: { sub: 'ann' },
});
const none: Credential = () => undefined;

describe('authenticator and establishIdentity', () => {
  afterEach(() => setDefaultLogger(undefined));

  it('takes the first credential that finds its kind, and sets actor, tenant and claims', async () => {
    const context = ctx();
    expect(await authenticator({ credentials: [none, ann] }).run(request, context)).toBeUndefined();
    expect(context.actor).toEqual({ type: 'user', id: 'ann', roles: ['viewer'] });
    expect(context.tenantId).toBe('acme');
    expect(identityClaims(context)).toEqual({ sub: 'ann' });
  });

  it('refuses a missing credential unless required is false', async () => {
    const refusal = await authenticator({ credentials: none }).run(request, ctx());
    expect(refusal?.status).toBe(401);
    const context = ctx();
    expect(
      await authenticator({ credentials: none, required: false }).run(request, context),
    ).toBeUndefined();
    expect(context.actor).toBeUndefined();
  });

  it('refuses a credential of another tenant than the one the request context resolved', async () => {
    const context = ctx({ tenantId: 'globex' });
    expect(() =>
      establishIdentity(context, { actor: { type: 'user', id: 'a', roles: [] }, tenantId: 'acme' }),
    ).toThrow(AccessError);
    const refusal = await authenticator({ credentials: ann }).run(
      request,
      ctx({ tenantId: 'globex' }),
    );
    expect(refusal?.status).toBe(403);
    expect(JSON.parse(String(refusal?.body))).toMatchObject({ code: 'tenant_mismatch' });
  });

  it('turns a credential that throws something else into a 503, never a pass', async () => {
    const broken: Credential = () => {
      throw new Error('db down');
    };
    const logged: unknown[] = [];
    const log = (fields: object) => logged.push(fields);
    setDefaultLogger({ error: log, warn: log, info: log, debug: log } as PlatformLogger);
    const refusal = await authenticator({ credentials: [broken, ann] }).run(request, ctx());
    expect(refusal?.status).toBe(503);
    expect(logged).toEqual([expect.objectContaining({ code: 'access_unavailable' })]);
  });

  it('warns once when it runs outside a request context', async () => {
    const warned: object[] = [];
    setDefaultLogger({
      error: () => {},
      warn: (f) => warned.push(f),
      info: () => {},
      debug: () => {},
    });
    const auth = authenticator({ credentials: ann });
    await auth.run(request, undefined);
    await auth.run(request, undefined);
    expect(warned).toEqual([expect.objectContaining({ code: 'no_request_context' })]);
  });

  it('refuses an empty or non-function credential list at construction', () => {
    expect(() => authenticator({ credentials: [] })).toThrow(TypeError);
    expect(() => authenticator({ credentials: ['x' as unknown as Credential] })).toThrow(TypeError);
  });
});
