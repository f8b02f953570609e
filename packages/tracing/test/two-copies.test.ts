import { describe, expect, it, vi } from 'vitest';

// Each import after resetModules evaluates the package afresh: a second copy in one
// process, as the ESM and CommonJS builds, or two installed versions, are.
async function freshCopy() {
  vi.resetModules();
  return import('../src/index.js');
}

describe('two copies of @platform/tracing in one process', () => {
  it('share one log-level registry and one tracing handle', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(b.createLogger).not.toBe(a.createLogger);
    expect(b.logLevels).toBe(a.logLevels);

    const logger = a.createLogger({ module: 'two-copies.db', level: 'info' });
    b.logLevels.set('two-copies.db', 'debug');
    expect(logger.level).toBe('debug');

    const handle = a.initTracing({ exporter: 'memory', registerShutdown: false });
    try {
      expect(b.getTracing()).toBe(handle);
    } finally {
      await handle.shutdown();
    }
    expect(b.getTracing()).toBeUndefined();
  }, 60_000);
});
