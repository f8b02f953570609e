import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { contextSlot, getContext, type RequestContext, runWithContext } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { close, listen } from './helpers.js';

const ctx = (requestId: string): RequestContext => ({
  requestId,
  method: 'JOB',
  path: '/jobs',
  startTime: Date.now(),
});

describe('contextSlot', () => {
  it('run() scopes a value through awaits and restores the outer one, keeping the request', async () => {
    const slot = contextSlot<string>('test.run');
    expect(slot.get()).toBeUndefined();
    await runWithContext(ctx('job-1'), async () => {
      await slot.run('outer', async () => {
        const inner = slot.run('inner', async () => {
          await sleep(2);
          return [slot.get(), getContext()?.requestId];
        });
        await tick();
        expect(slot.get()).toBe('outer');
        expect(await inner).toEqual(['inner', 'job-1']);
        expect(getContext()?.requestId).toBe('job-1');
      });
      expect(slot.get()).toBeUndefined();
    });
  });

  it('a request context opened inside a slot scope keeps the slot; slots do not mix', async () => {
    const a = contextSlot<number>('test.a');
    const b = contextSlot<number>('test.b');
    await a.run(1, () =>
      b.run(2, () =>
        runWithContext(ctx('job-2'), async () => {
          await tick();
          expect([a.get(), b.get(), getContext()?.requestId]).toEqual([1, 2, 'job-2']);
        }),
      ),
    );
  });

  it('set() refuses outside a request frame opened by a binding, changing nothing', async () => {
    const slot = contextSlot<string>('test.refuse');
    expect(slot.set('x')).toBe(false);
    expect(slot.get()).toBeUndefined();
    await runWithContext(ctx('job-3'), async () => {
      expect(slot.set('x')).toBe(false); // a job's frame may be shared by everything it starts
      expect(slot.get()).toBeUndefined();
    });
    slot.run('y', () => {
      expect(slot.set('x')).toBe(false);
      expect(slot.get()).toBe('y');
    });
  });

  it('rejects an empty name', () => {
    expect(() => contextSlot('')).toThrow(/non-empty string/);
  });
});

/** 40 concurrent requests, each setting its own value in a hook and reading it back after awaits. */
async function concurrentRequests(origin: string) {
  const ids = Array.from({ length: 40 }, (_, i) => `req-${i}`);
  const answers = await Promise.all(
    ids.map(async (id) => {
      const res = await fetch(`${origin}/slot`, { headers: { 'x-request-id': id } });
      return (await res.json()) as { requestId: string; slot: string; set: boolean };
    }),
  );
  for (const [i, a] of answers.entries()) {
    expect(a).toEqual({ requestId: ids[i], slot: `value-${ids[i]}`, set: true });
  }
}

describe('contextSlot.set() in the frame core opens per request', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await close(s);
  });

  it('Express: the value set in middleware reaches the handler after awaits, per request', async () => {
    const slot = contextSlot<string>('test.express');
    const app = express();
    app.use(expressContext());
    app.use((_req, res, next) => {
      res.locals.set = slot.set(`value-${getContext()?.requestId}`);
      next();
    });
    app.get('/slot', async (_req, res) => {
      await sleep(Math.floor(Math.random() * 5));
      await tick();
      res.json({ requestId: getContext()?.requestId, slot: slot.get(), set: res.locals.set });
    });
    const server = createServer(app);
    servers.push(server);
    const origin = await listen(server);
    await concurrentRequests(origin);
    expect(slot.get()).toBeUndefined();
  });

  it('Fastify: the value set in an onRequest hook reaches the handler after awaits, per request', async () => {
    const slot = contextSlot<string>('test.fastify');
    const app = Fastify();
    await app.register(fastifyContext);
    const set = new WeakMap<object, boolean>();
    app.addHook('onRequest', (req, _reply, done) => {
      set.set(req, slot.set(`value-${getContext()?.requestId}`));
      done();
    });
    app.get('/slot', async (req) => {
      await sleep(Math.floor(Math.random() * 5));
      await tick();
      return { requestId: getContext()?.requestId, slot: slot.get(), set: set.get(req) };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    await concurrentRequests(`http://127.0.0.1:${port}`);
    await app.close();
  });
});
