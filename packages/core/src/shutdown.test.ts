import { afterEach, describe, expect, it } from 'vitest';
import { onShutdown, shutdown } from './shutdown.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The registry is process-wide: leave it empty for the next test.
afterEach(async () => {
  await shutdown({ timeoutMs: 1000 });
});

describe('shutdown', () => {
  it('runs hooks last-registered first, awaiting each', async () => {
    const ran: string[] = [];
    onShutdown(() => ran.push('pool'), { name: 'pool' });
    onShutdown(
      async () => {
        await sleep(5);
        ran.push('writer');
      },
      { name: 'writer' },
    );
    onShutdown(() => ran.push('server'), { name: 'server' });
    const report = await shutdown();
    expect(ran).toEqual(['server', 'writer', 'pool']);
    expect(report).toEqual({ completed: ['server', 'writer', 'pool'], failed: [], timedOut: [] });
  });

  it('names hooks after their function, else by position', async () => {
    onShutdown(function flushAudit() {});
    onShutdown(() => {});
    const report = await shutdown();
    expect(report.completed).toEqual(['hook-2', 'flushAudit']);
  });

  it('reports a failing hook and still runs the others', async () => {
    const ran: string[] = [];
    const boom = new Error('flush failed');
    onShutdown(() => ran.push('first'), { name: 'first' });
    onShutdown(
      () => {
        throw boom;
      },
      { name: 'sync-throw' },
    );
    onShutdown(() => Promise.reject('not an Error'), { name: 'rejects' });
    onShutdown(() => ran.push('last'), { name: 'last' });
    const report = await shutdown();
    expect(ran).toEqual(['last', 'first']);
    expect(report.completed).toEqual(['last', 'first']);
    expect(report.failed).toEqual([
      { name: 'rejects', error: 'not an Error' },
      { name: 'sync-throw', error: boom },
    ]);
    expect(report.timedOut).toEqual([]);
  });

  it('cuts off a hook that never settles at the deadline; hooks after it never run', async () => {
    const ran: string[] = [];
    onShutdown(() => ran.push('registered-first'), { name: 'registered-first' });
    onShutdown(() => new Promise(() => {}), { name: 'hangs' });
    onShutdown(() => ran.push('registered-last'), { name: 'registered-last' });
    const started = Date.now();
    const report = await shutdown({ timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.completed).toEqual(['registered-last']);
    expect(report.failed).toEqual([]);
    // The hung hook used up the whole shared deadline, so the one registered before it is
    // reported as timed out without ever being called.
    expect(report.timedOut).toEqual(['hangs', 'registered-first']);
    expect(ran).toEqual(['registered-last']);
  });

  it('limits a hook to its own timeoutMs so the hooks after it still run', async () => {
    const ran: string[] = [];
    onShutdown(() => ran.push('registered-first'), { name: 'registered-first' });
    onShutdown(() => new Promise(() => {}), { name: 'hangs', timeoutMs: 50 });
    const report = await shutdown({ timeoutMs: 5000 });
    expect(report.timedOut).toEqual(['hangs']);
    expect(report.completed).toEqual(['registered-first']);
    expect(ran).toEqual(['registered-first']);
  });

  it('does not call a hook again after it was cut off', async () => {
    let calls = 0;
    onShutdown(
      async () => {
        calls++;
        await sleep(200);
      },
      { name: 'slow' },
    );
    const report = await shutdown({ timeoutMs: 20 });
    expect(report.timedOut).toEqual(['slow']);
    expect((await shutdown()).timedOut).toEqual([]);
    expect(calls).toBe(1);
  });

  it('unregisters a hook', async () => {
    const ran: string[] = [];
    const off = onShutdown(() => ran.push('removed'), { name: 'removed' });
    onShutdown(() => ran.push('kept'), { name: 'kept' });
    off();
    off();
    const report = await shutdown();
    expect(ran).toEqual(['kept']);
    expect(report.completed).toEqual(['kept']);
  });

  it('shares one run between concurrent calls', async () => {
    let calls = 0;
    onShutdown(
      async () => {
        calls++;
        await sleep(10);
      },
      { name: 'once' },
    );
    const first = shutdown();
    const second = shutdown({ timeoutMs: 1 });
    expect(second).toBe(first);
    const [a, b] = await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(a.completed).toEqual(['once']);
  });

  it('runs each hook once: a later shutdown only runs hooks registered since', async () => {
    const ran: string[] = [];
    onShutdown(() => ran.push('a'), { name: 'a' });
    await shutdown();
    onShutdown(() => ran.push('b'), { name: 'b' });
    const report = await shutdown();
    expect(report.completed).toEqual(['b']);
    expect(ran).toEqual(['a', 'b']);
    expect(await shutdown()).toEqual({ completed: [], failed: [], timedOut: [] });
  });

  it('leaves a hook registered during shutdown for the next run', async () => {
    const ran: string[] = [];
    onShutdown(
      () => {
        onShutdown(() => ran.push('late'), { name: 'late' });
        ran.push('early');
      },
      { name: 'early' },
    );
    expect((await shutdown()).completed).toEqual(['early']);
    expect((await shutdown()).completed).toEqual(['late']);
    expect(ran).toEqual(['early', 'late']);
  });
});
