import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@platform/core';
import { type PendingEvent, SCHEMA_VERSION } from '../schema.js';

/** A valid pending event for `tenantId`; `over` replaces any field. */
export function sampleEvent(tenantId: string, over: Partial<PendingEvent> = {}): PendingEvent {
  return {
    schemaVersion: SCHEMA_VERSION,
    id: uuidv7(),
    tenantId,
    occurredAt: new Date().toISOString(),
    action: 'invoice.update',
    crud: 'u',
    outcome: 'success',
    severity: 'info',
    actor: { type: 'user', id: 'u1' },
    targets: [{ type: 'invoice', id: 'inv_1' }],
    source: { ip: '203.0.113.7', userAgent: 'testkit' },
    request: { method: 'PUT', route: '/invoices/:id', requestId: randomUUID() },
    metadata: {},
    ...over,
  };
}
