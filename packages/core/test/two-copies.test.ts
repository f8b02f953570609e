import { describe, expect, it, vi } from 'vitest';

// Each import after resetModules evaluates core's modules afresh: a second copy of the
// package in one process, as the ESM and CommonJS builds, or two installed versions, are.
async function freshCopy() {
  vi.resetModules();
  return import('../src/index.js');
}

const ctx = (requestId: string) => ({
  requestId,
  method: 'GET',
  path: '/',
  startTime: Date.now(),
});

describe('two copies of @platform/core in one process', () => {
  it('share one request context and one slot registry', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(b.getContext).not.toBe(a.getContext);

    expect(a.runWithContext(ctx('req-a'), () => b.getContext()?.requestId)).toBe('req-a');
    b.runWithContext(ctx('req-b'), () => {
      a.setTenant('acme');
      expect(b.getContext()?.tenantId).toBe('acme');
    });

    const slotA = a.contextSlot<string>('a');
    const slotB = b.contextSlot<string>('b');
    slotA.run('from-a', () =>
      slotB.run('from-b', () => {
        expect(slotA.get()).toBe('from-a');
        expect(slotB.get()).toBe('from-b');
        expect(b.getContext()).toBeUndefined();
      }),
    );
  });

  it('share one shutdown registry', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    const ran: string[] = [];
    a.onShutdown(() => ran.push('a'), { name: 'a' });
    b.onShutdown(() => ran.push('b'), { name: 'b' });
    const report = await a.shutdown({ timeoutMs: 1000 });
    expect(ran).toEqual(['b', 'a']);
    expect(report.completed).toEqual(['b', 'a']);
  });
});
