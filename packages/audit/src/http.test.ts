import { getContext, type RequestContext, runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { createHttpAuditor } from './http.js';
import type { AuditInput } from './schema.js';
import type { AuditTrail } from './trail.js';

/** A trail written as a class: `record` must be called on it, not detached. */
class RecordingTrail {
  readonly seen: { input: AuditInput; requestId?: string }[] = [];
  record(input: AuditInput) {
    this.seen.push({ input, requestId: getContext()?.requestId });
    return 'id';
  }
}

const ctx = (requestId: string): RequestContext => ({
  requestId,
  method: 'POST',
  path: '/api/items/1',
  startTime: 0,
});

describe('createHttpAuditor().finish', () => {
  it('records inside the request context, whether or not it is the current one', () => {
    const trail = new RecordingTrail();
    const auditor = createHttpAuditor(trail as unknown as AuditTrail);
    const info = { method: 'POST', path: '/api/items/1', route: '/api/items/:id', statusCode: 201 };
    auditor.finish(ctx('outside'), { ...info, params: { id: '1' } });
    const current = ctx('current');
    runWithContext(current, () => auditor.finish(current, { ...info, params: { id: '2' } }));
    runWithContext(ctx('other'), () => auditor.finish(ctx('given'), info));
    expect(trail.seen.map((s) => s.requestId)).toEqual(['outside', 'current', 'given']);
    expect(trail.seen[1]?.input).toMatchObject({
      action: 'items.create',
      crud: 'c',
      outcome: 'success',
      statusCode: 201,
      targets: [{ type: 'items', id: '2' }],
      request: { method: 'POST', route: '/api/items/:id', requestId: 'current' },
      metadata: {},
    });
  });

  it('names the action per route and method, the same on every request', () => {
    const trail = new RecordingTrail();
    const auditor = createHttpAuditor(trail as unknown as AuditTrail);
    for (let i = 0; i < 3; i++) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PURGE']) {
        auditor.finish(undefined, {
          method,
          path: '/api/items/1',
          route: '/api/items/:id',
          statusCode: 200,
        });
      }
      auditor.finish(undefined, {
        method: 'POST',
        path: '/x',
        route: '/api/invoices/:id/pay',
        statusCode: 200,
      });
    }
    const actions = trail.seen.map((s) => s.input.action);
    expect(actions.slice(0, 5)).toEqual([
      'items.create',
      'items.update',
      'items.delete',
      'items.purge',
      'invoices.pay',
    ]);
    expect(actions.slice(5)).toEqual([...actions.slice(0, 5), ...actions.slice(0, 5)]);
  });

  it('gives the reason of a failed or aborted request', () => {
    const trail = new RecordingTrail();
    const auditor = createHttpAuditor(trail as unknown as AuditTrail);
    const info = { method: 'DELETE', path: '/api/items/1', route: '/api/items/:id' };
    auditor.finish(undefined, { ...info, statusCode: 409 });
    auditor.finish(undefined, { ...info, statusCode: 500, aborted: true });
    auditor.finish(undefined, { ...info, statusCode: 0, aborted: true });
    expect(trail.seen.map((s) => [s.input.outcome, s.input.reason, s.input.statusCode])).toEqual([
      ['failure', 'HTTP 409', 409],
      ['unknown', 'client closed the connection before the response', 500],
      ['unknown', 'client closed the connection before the response', undefined],
    ]);
  });
});
