import { EventEmitter } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { contextSlot, getContext, runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { PlatformContextManager } from '../src/context-manager.js';

const KEY = createContextKey('test.key');
const job = { requestId: 'job-1', method: 'JOB', path: '/jobs', startTime: Date.now() };

describe('PlatformContextManager', () => {
  it('scopes with() through awaits, restores the outer context, and leaves the request context alone', async () => {
    const manager = new PlatformContextManager().enable();
    const outer = ROOT_CONTEXT.setValue(KEY, 'outer');
    const inner = ROOT_CONTEXT.setValue(KEY, 'inner');
    await runWithContext(job, () =>
      manager.with(outer, async () => {
        const nested = manager.with(inner, async () => {
          await tick();
          return [manager.active().getValue(KEY), getContext()?.requestId];
        });
        expect(manager.active().getValue(KEY)).toBe('outer');
        expect(await nested).toEqual(['inner', 'job-1']);
        expect(manager.active().getValue(KEY)).toBe('outer');
      }),
    );
    expect(manager.active()).toBe(ROOT_CONTEXT);
    manager.disable();
  });

  it('passes thisArg and arguments through with()', () => {
    const manager = new PlatformContextManager().enable();
    const self = { n: 2 };
    const out = manager.with(
      ROOT_CONTEXT,
      function (this: typeof self, a: number, b: number) {
        return this.n * a + b;
      },
      self,
      3,
      4,
    );
    expect(out).toBe(10);
    manager.disable();
  });

  it('binds functions and event emitters to a context (inherited bind)', async () => {
    const manager = new PlatformContextManager().enable();
    const ctx = ROOT_CONTEXT.setValue(KEY, 'bound');
    const fn = manager.bind(ctx, () => manager.active().getValue(KEY));
    expect(fn()).toBe('bound');
    const emitter = manager.bind(ctx, new EventEmitter());
    const seen = new Promise((resolve) =>
      emitter.on('ping', () => resolve(manager.active().getValue(KEY))),
    );
    setTimeout(() => emitter.emit('ping'), 1);
    expect(await seen).toBe('bound');
    manager.disable();
  });

  it('keeps its context apart from other core slots, answers ROOT when disabled, and refuses attach()', () => {
    const manager = new PlatformContextManager().enable();
    const other = contextSlot<string>('test.other');
    const ctx = ROOT_CONTEXT.setValue(KEY, 'v');
    other.run('x', () =>
      manager.with(ctx, () => {
        expect(other.get()).toBe('x');
        expect(manager.active().getValue(KEY)).toBe('v');
        manager.disable();
        expect(manager.active()).toBe(ROOT_CONTEXT);
      }),
    );
    expect(() => manager.attach()).toThrow(/attach\(\) is not supported/);
  });

  it('is what the global context API uses once registered', async () => {
    const manager = new PlatformContextManager();
    expect(context.setGlobalContextManager(manager)).toBe(true);
    manager.enable();
    try {
      const ctx = ROOT_CONTEXT.setValue(KEY, 'global');
      const seen = await context.with(ctx, async () => {
        await tick();
        return context.active().getValue(KEY);
      });
      expect(seen).toBe('global');
    } finally {
      context.disable();
    }
  });
});
