import { type PlatformLogger, setDefaultLogger, shutdown } from '@platform/core';
import { afterEach, describe, expect, it } from 'vitest';
import { flakyStore } from '../test/trail-support.js';
import type { AuditTrailOptions } from './options.js';
import { type AuditErrorInfo, errorCode } from './report.js';
import { memoryStore } from './stores/memory.js';
import { auditTrail } from './trail.js';

type Line = { level: keyof PlatformLogger; fields: Record<string, unknown>; message?: string };

/** A pino-shaped logger that keeps its lines. */
function recordingLogger(): PlatformLogger & { lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: Line['level']) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields: fields as Record<string, unknown>, message });
    };
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** A trail over a store that is down, retrying every 5 ms, logging through a recording logger. */
function failingTrail(onError?: AuditTrailOptions['onError']) {
  const logger = recordingLogger();
  const { store, state } = flakyStore(true);
  const audit = auditTrail({
    store,
    shutdown: false,
    log: false,
    logger,
    retry: { initialMs: 5, maxMs: 5 },
    ...(onError && { onError }),
  });
  return { logger, state, audit };
}

afterEach(() => setDefaultLogger(undefined));

describe('the trail on core diagnostics', () => {
  it('writes the log copy of each event through `logger`, with the event under `audit`', async () => {
    const logger = recordingLogger();
    const audit = auditTrail({ store: memoryStore(), shutdown: false, logger });
    const id = audit.record({ action: 'item.update', tenantId: 'd1' });
    expect(logger.lines).toEqual([
      {
        level: 'info',
        fields: {
          component: '@platform/audit',
          code: 'AUDIT_EVENT',
          audit: expect.objectContaining({ id, action: 'item.update', tenantId: 'd1' }),
        },
        message: 'audit',
      },
    ]);
    await audit.close();
  });

  it('without a logger, writes it through the process-wide logger, read at each event', async () => {
    const audit = auditTrail({ store: memoryStore(), shutdown: false });
    const first = recordingLogger();
    setDefaultLogger(first);
    audit.record({ action: 'item.create' });
    const second = recordingLogger();
    setDefaultLogger(second);
    audit.record({ action: 'item.delete' });
    expect(first.lines.map((l) => (l.fields.audit as { action: string }).action)).toEqual([
      'item.create',
    ]);
    expect(second.lines.map((l) => (l.fields.audit as { action: string }).action)).toEqual([
      'item.delete',
    ]);
    await audit.close();
  });

  it('hands every error to onError with component, code and where, and then logs none', async () => {
    const seen: { error: unknown; info: AuditErrorInfo }[] = [];
    const { logger, state, audit } = failingTrail((error, info) => seen.push({ error, info }));
    audit.record({ action: 'x.update', tenantId: 'd2' });
    while (seen.length < 10) await new Promise((r) => setTimeout(r, 5));
    state.down = false;
    await audit.flush();
    const failures = seen.filter((s) => s.info.where === 'store');
    expect(failures.length).toBeGreaterThanOrEqual(10);
    expect(failures[0]?.info).toEqual({
      component: '@platform/audit',
      code: 'AUDIT_STORE',
      where: 'store',
    });
    expect(failures[0]?.error).toMatchObject({ message: expect.stringContaining('ECONNREFUSED') });
    expect(logger.lines).toEqual([]);
    await audit.close();
  });

  it('without onError, logs errors through `logger`, at most one line a second', async () => {
    const { logger, state, audit } = failingTrail();
    audit.record({ action: 'x.update', tenantId: 'd3' });
    // ten failed attempts 5 ms apart: logging each would need them a second apart
    while (audit.stats().storeFailures < 10) await new Promise((r) => setTimeout(r, 5));
    state.down = false;
    await audit.flush();
    expect(logger.lines.length).toBeGreaterThanOrEqual(1);
    expect(logger.lines.length).toBeLessThan(audit.stats().storeFailures);
    expect(logger.lines[0]).toMatchObject({
      level: 'error',
      fields: {
        component: '@platform/audit',
        code: 'AUDIT_STORE',
        where: 'store',
        err: expect.any(Error),
      },
    });
    await audit.close();
  });

  it('reports an invalid event as AUDIT_RECORD', async () => {
    const infos: AuditErrorInfo[] = [];
    const audit = auditTrail({
      store: memoryStore(),
      shutdown: false,
      log: false,
      logger: recordingLogger(),
      onError: (_error, info) => infos.push(info),
    });
    expect(audit.record({ action: 'no dots here' })).toBeUndefined();
    expect(infos).toEqual([
      { component: '@platform/audit', code: 'AUDIT_RECORD', where: 'record' },
    ]);
    await audit.close();
  });

  it('names codes after where', () => {
    expect(errorCode('store-connection')).toBe('AUDIT_STORE_CONNECTION');
    expect(errorCode('onStored')).toBe('AUDIT_ONSTORED');
  });
});

describe('the trail on core lifecycle', () => {
  it("is drained by core's shutdown() as 'audit-trail', unless shutdown is false", async () => {
    const store = memoryStore();
    const managed = auditTrail({ store, log: false, queue: { flushIntervalMs: 60_000 } });
    const unmanaged = auditTrail({ store, log: false, shutdown: false });
    managed.record({ action: 'x.create', tenantId: 'life' });
    expect(managed.stats().queued).toBe(1);
    const report = await shutdown({ timeoutMs: 5_000 });
    expect(report.completed).toContain('audit-trail');
    expect((await store.query({ tenantId: 'life' })).events).toHaveLength(1);
    // the unmanaged trail was left open: it still stores what it records
    unmanaged.record({ action: 'x.update', tenantId: 'life' });
    await unmanaged.flush();
    expect(unmanaged.stats()).toMatchObject({ stored: 1, dropped: 0 });
    await unmanaged.close();
  });
});
