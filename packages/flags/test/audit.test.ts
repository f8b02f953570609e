import { memoryStore as auditMemory, auditTrail } from '@platform/audit';
import { runWithContext } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { flagAuditEvent } from '../src/audit-event.js';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { flagOperations } from '../src/operations.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false, kind: 'release', owner: 'web' },
});

describe('flag changes into @platform/audit (onChange + flagAuditEvent)', () => {
  it('records each change with actor, tenant, before/after, diff and version, and the chain verifies', async () => {
    const store = auditMemory();
    const trail = auditTrail({ store, log: false, shutdown: false });
    const flags = createFlags({
      definitions,
      flushOnShutdown: false,
      onChange: (change) => {
        trail.record(flagAuditEvent(change));
      },
    });
    await flags.ready();
    const ops = flagOperations(flags);
    const ctx = {
      requestId: 'req-flags-1',
      method: 'POST',
      path: '/admin/flags/beta',
      tenantId: 'acme',
      actor: { type: 'user' as const, id: 'ops-1', roles: ['admin'] },
      startTime: Date.now(),
    };
    await runWithContext(ctx, async () => {
      await ops.toggle('beta', false);
      await ops.setTenantOverride('beta', 'acme', { serve: { variant: 'on' } });
    });
    await ops.remove('beta', 'system-cleanup');
    await trail.flush();

    const { events } = await store.query({ tenantId: 'acme', action: 'flag.*' });
    expect(events.map((e) => [e.action, e.crud, e.actor.id, e.request.requestId])).toEqual([
      ['flag.update', 'u', 'ops-1', 'req-flags-1'],
      ['flag.update', 'u', 'ops-1', 'req-flags-1'],
    ]);
    const [override, toggle] = events;
    expect(toggle!.targets).toEqual([{ type: 'flag', id: 'beta' }]);
    expect(toggle!.changes).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    expect(toggle!.metadata).toMatchObject({
      diff: [{ path: 'enabled', before: true, after: false }],
    });
    expect((override!.changes!.after as { tenants: object }).tenants).toEqual({
      acme: { serve: { variant: 'on' } },
    });
    const deleted = await store.query({ tenantId: 'default', action: 'flag.delete' });
    expect(deleted.events).toMatchObject([
      { crud: 'd', actor: { id: 'system-cleanup' }, changes: { after: null } },
    ]);
    expect((await trail.verify({ tenantId: 'acme' })).ok).toBe(true);
    await flags.close();
    await trail.close();
  });
});
