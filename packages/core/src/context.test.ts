import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  getContext,
  type RequestContext,
  runWithContext,
  setActor,
  setRoute,
  setTenant,
  setTrace,
} from './context.js';

const base = (requestId: string): RequestContext => ({
  requestId,
  method: 'GET',
  path: `/r/${requestId}`,
  startTime: Date.now(),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A random mix of the ways async code yields. */
async function randomAwait(): Promise<void> {
  const pick = Math.floor(Math.random() * 4);
  if (pick === 0) await sleep(Math.floor(Math.random() * 3));
  else if (pick === 1) await tick();
  else if (pick === 2) await Promise.resolve();
  else await new Promise<void>((r) => queueMicrotask(r));
}

describe('outside a request', () => {
  it('has no context, and the setters are no-ops', () => {
    expect(getContext()).toBeUndefined();
    setActor({ type: 'user', id: 'u1', roles: [] });
    setTenant('acme');
    setRoute('/x');
    setTrace('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331');
    expect(getContext()).toBeUndefined();
  });
});

describe('runWithContext', () => {
  it('returns what the function returns, sync or async', async () => {
    expect(runWithContext(base('a'), () => 42)).toBe(42);
    await expect(runWithContext(base('a'), async () => getContext()?.requestId)).resolves.toBe('a');
  });

  it('nests and restores', () => {
    runWithContext(base('outer'), () => {
      runWithContext(base('inner'), () => expect(getContext()?.requestId).toBe('inner'));
      expect(getContext()?.requestId).toBe('outer');
    });
    expect(getContext()).toBeUndefined();
  });

  it('keeps the context across timers, immediates and promise chains', async () => {
    await runWithContext(base('deep'), async () => {
      await sleep(1);
      await tick();
      const inTimer = await new Promise((r) => setTimeout(() => r(getContext()?.requestId), 1));
      const inImmediate = await new Promise((r) => setImmediate(() => r(getContext()?.requestId)));
      expect([inTimer, inImmediate, getContext()?.requestId]).toEqual(['deep', 'deep', 'deep']);
    });
  });
});

describe('the setters inside a request', () => {
  it('set actor, tenant, route and trace on the current context', () => {
    const ctx = base('s');
    runWithContext(ctx, () => {
      setActor({ type: 'service', id: 'billing', roles: ['reader'], name: 'Billing' });
      setTenant('acme');
      setRoute('/r/:id');
      setTrace('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331');
    });
    expect(ctx).toMatchObject({
      actor: { type: 'service', id: 'billing', roles: ['reader'], name: 'Billing' },
      tenantId: 'acme',
      route: '/r/:id',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
  });

  it('copies the actor so later changes by the caller do not leak in', () => {
    const ctx = base('copy');
    const actor: Actor = { type: 'user', id: 'u1', roles: ['viewer'] };
    runWithContext(ctx, () => setActor(actor));
    actor.roles.push('admin');
    actor.id = 'u2';
    expect(ctx.actor).toEqual({ type: 'user', id: 'u1', roles: ['viewer'] });
  });

  it('clears the tenant with undefined, but keeps the route and span on empty input', () => {
    const ctx = { ...base('keep'), tenantId: 't', route: '/r/:id', spanId: 'b7ad6b7169203331' };
    runWithContext(ctx, () => {
      setTenant(undefined);
      setRoute(undefined);
      setRoute('');
      setTrace('4bf92f3577b34da6a3ce929d0e0e4736');
    });
    expect(ctx.tenantId).toBeUndefined();
    expect(ctx.route).toBe('/r/:id');
    expect(ctx.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(ctx.spanId).toBe('b7ad6b7169203331');
  });
});

describe('isolation', () => {
  it('keeps 200 interleaved async requests apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        runWithContext(base(`req-${i}`), async () => {
          const seen: (string | undefined)[] = [];
          for (let step = 0; step < 5; step++) {
            await randomAwait();
            seen.push(getContext()?.requestId);
            if (step === 1) setTenant(`tenant-${i}`);
            if (step === 2) setActor({ type: 'user', id: `user-${i}`, roles: [`role-${i}`] });
          }
          await randomAwait();
          const ctx = getContext();
          return { i, seen, tenant: ctx?.tenantId, actor: ctx?.actor };
        }),
      ),
    );
    for (const r of results) {
      expect(r.seen).toEqual(Array(5).fill(`req-${r.i}`));
      expect(r.tenant).toBe(`tenant-${r.i}`);
      expect(r.actor).toEqual({ type: 'user', id: `user-${r.i}`, roles: [`role-${r.i}`] });
    }
    expect(getContext()).toBeUndefined();
  });

  it('does not leak a context into work started outside it', async () => {
    let outside: RequestContext | undefined | 'unset' = 'unset';
    const later = new Promise<void>((resolve) => {
      setTimeout(() => {
        outside = getContext();
        resolve();
      }, 5);
    });
    await runWithContext(base('inside'), () => sleep(1));
    await later;
    expect(outside).toBeUndefined();
  });
});
