import { describe, expect, it } from 'vitest';
import { trustedPending } from './check.js';
import { type PendingEvent, pendingEventSchema } from './schema.js';

const base = (): Record<string, unknown> => ({
  schemaVersion: 1,
  id: '0192f3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b',
  tenantId: 'acme',
  occurredAt: '2026-11-22T08:00:00.000Z',
  action: 'item.update',
  crud: 'u',
  outcome: 'success',
  statusCode: 200,
  severity: 'info',
  actor: { type: 'user', id: 'alice' },
  targets: [{ type: 'item', id: '7' }],
  source: { ip: '127.0.0.1', userAgent: 'curl/8' },
  request: { method: 'PATCH', route: '/api/items/:id', requestId: 'r', traceId: 't', spanId: 's' },
  metadata: {},
});

/** `changes` where record() puts it: before `metadata`. */
const withChanges = (e: Record<string, unknown>, changes: unknown) => {
  const { metadata } = e;
  delete e.metadata;
  e.changes = changes;
  e.metadata = metadata;
};

const long = (n: number) => 'x'.repeat(n);

// each case changes one field of a valid event, towards or across a limit of the schema
const cases: [string, (e: Record<string, unknown>) => void][] = [
  ['valid', () => {}],
  ['nil uuid', (e) => (e.id = '00000000-0000-0000-0000-000000000000')],
  ['uuid v0', (e) => (e.id = '0192f3b4-5c6d-0e8f-9a0b-1c2d3e4f5a6b')],
  ['not a uuid', (e) => (e.id = 'evt_1')],
  ['uppercase uuid', (e) => (e.id = '0192F3B4-5C6D-7E8F-9A0B-1C2D3E4F5A6B')],
  ['empty tenant', (e) => (e.tenantId = '')],
  ['tenant 256', (e) => (e.tenantId = long(256))],
  ['tenant 257', (e) => (e.tenantId = long(257))],
  ['leap day', (e) => (e.occurredAt = '2024-02-29T23:59:59.999Z')],
  ['year 0', (e) => (e.occurredAt = new Date('0000-01-01T00:00:00Z').toISOString())],
  ['extended year', (e) => (e.occurredAt = new Date(8.64e15).toISOString())],
  ['no millis', (e) => (e.occurredAt = '2026-11-22T08:00:00Z')],
  ['bad action', (e) => (e.action = 'no dots here')],
  ['action number', (e) => (e.action = 42)],
  ['crud x', (e) => (e.crud = 'x')],
  ['outcome', (e) => (e.outcome = 'ok')],
  ['reason 2048', (e) => (e.reason = long(2048))],
  ['reason 2049', (e) => (e.reason = long(2049))],
  ['reason undefined', (e) => (e.reason = undefined)],
  ['status 99', (e) => (e.statusCode = 99)],
  ['status 599', (e) => (e.statusCode = 599)],
  ['status 1.5', (e) => (e.statusCode = 200.5)],
  ['status string', (e) => (e.statusCode = '200')],
  ['status undefined', (e) => (e.statusCode = undefined)],
  ['severity', (e) => (e.severity = 'fatal')],
  ['actor type', (e) => (e.actor = { type: 'robot', id: 'r' })],
  ['actor empty id', (e) => (e.actor = { type: 'user', id: '' })],
  ['actor name', (e) => (e.actor = { type: 'user', id: 'a', name: 'Alice' })],
  ['actor name undefined', (e) => (e.actor = { type: 'user', id: 'a', name: undefined })],
  ['impersonator', (e) => (e.actor = { type: 'user', id: 'a', impersonatorId: 'b' })],
  ['impersonator number', (e) => (e.actor = { type: 'user', id: 'a', impersonatorId: 1 })],
  ['no targets', (e) => (e.targets = [])],
  ['65 targets', (e) => (e.targets = Array.from({ length: 65 }, () => ({ type: 't', id: 'i' })))],
  ['64 targets', (e) => (e.targets = Array.from({ length: 64 }, () => ({ type: 't', id: 'i' })))],
  ['target keys reordered', (e) => (e.targets = [{ id: '7', name: 'n', type: 'item' }])],
  ['target extra key', (e) => (e.targets = [{ type: 'item', id: '7', extra: 1 }])],
  ['target id number', (e) => (e.targets = [{ type: 'item', id: 7 }])],
  ['target name null', (e) => (e.targets = [{ type: 'item', id: '7', name: null }])],
  ['target null', (e) => (e.targets = [null])],
  ['ip 65', (e) => (e.source = { ip: long(65) })],
  ['user agent 512', (e) => (e.source = { userAgent: long(512) })],
  ['method 17', (e) => (e.request = { method: long(17) })],
  ['route 513', (e) => (e.request = { route: long(513) })],
  ['request id 129', (e) => (e.request = { requestId: long(129) })],
  ['trace id 65', (e) => (e.request = { traceId: long(65) })],
  ['span id 33', (e) => (e.request = { spanId: long(33) })],
  ['changes', (e) => withChanges(e, { after: { a: 1 }, before: { a: 0 } })],
  ['changes after metadata', (e) => (e.changes = { before: 1 })],
  ['changes extra key', (e) => withChanges(e, { before: 1, during: 2 })],
  ['changes array', (e) => withChanges(e, [1])],
  ['changes string', (e) => withChanges(e, 'x')],
  ['changes undefined', (e) => withChanges(e, undefined)],
  ['unknown key', (e) => (e.extra = 1)],
  ['actor keys reordered', (e) => (e.actor = { id: 'a', type: 'user' })],
  ['metadata', (e) => (e.metadata = { body: { a: [1, 'b'] }, gone: undefined })],
  ['metadata array', (e) => (e.metadata = [])],
  ['metadata null', (e) => (e.metadata = null)],
];

describe('trustedPending', () => {
  it.each(cases)('agrees with pendingEventSchema: %s', (_name, change) => {
    const event = base();
    change(event);
    const zod = pendingEventSchema.safeParse(structuredClone(event));
    const fast = trustedPending(event as PendingEvent);
    if (fast === undefined) return; // zod decides, as before
    expect(zod.success).toBe(true);
    expect(fast).toStrictEqual(zod.data);
    // same keys in the same order: the log line and spill files are JSON.stringify'd
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
  });

  it('vouches for the well-formed events record() builds', () => {
    for (const name of ['valid', 'target keys reordered', 'changes', 'metadata', 'year 0']) {
      const event = base();
      cases.find(([n]) => n === name)?.[1](event);
      expect(trustedPending(event as PendingEvent), name).toBeDefined();
    }
  });

  it('returns the event itself when it is already in zod’s form, and a copy when not', () => {
    const event = base() as unknown as PendingEvent;
    expect(trustedPending(event)).toBe(event);
    const reordered = base();
    reordered.targets = [{ id: '7', type: 'item' }];
    const fixed = trustedPending(reordered as unknown as PendingEvent);
    expect(fixed).not.toBe(reordered);
    expect(JSON.stringify(fixed?.targets)).toBe('[{"type":"item","id":"7"}]');
    expect(reordered.targets).toEqual([{ id: '7', type: 'item' }]);
    const changes = base();
    withChanges(changes, { after: 1, before: 0 });
    expect(trustedPending(changes as unknown as PendingEvent)).not.toBe(changes);
  });
});
