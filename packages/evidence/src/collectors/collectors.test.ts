import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryStore as auditMemory, auditTrail } from '@platform/audit';
import { memoryStore as costMemory } from '@platform/cost';
import { memoryStore as flagMemory } from '@platform/flags';
import { createSecurityHeaders } from '@platform/headers';
import { afterAll, describe, expect, it } from 'vitest';
import { describeConfig } from './config.js';
import { platformCollectors } from './platform.js';
import { processingRecords } from './processing-records.js';
import type { CollectContext, Collector } from './types.js';

const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
const ctx = (tenant?: string): CollectContext => ({
  period,
  ...(tenant && { tenant }),
  signal: new AbortController().signal,
});
const byId = (cs: Collector[], id: string) => cs.find((c) => c.id === id) as Collector;

const trail = auditTrail({ store: auditMemory(), log: false, shutdown: false });
afterAll(() => trail.close());

describe('collectors', () => {
  it('answer "not collected" with a reason when no source is configured', async () => {
    const all = platformCollectors({});
    expect(all.map((c) => c.id)).toEqual([
      'audit-chain',
      'access-changes',
      'api-keys',
      'flag-changes',
      'security-headers',
      'rate-limits',
      'retention',
      'privacy-requests',
      'ai-usage',
      'processing-records',
    ]);
    for (const c of all) {
      const r = await c.collect(ctx());
      expect(r.status, c.id).toBe('not-collected');
      expect(r.reason, c.id).toMatch(/^no /);
      expect(r.files).toEqual([]);
    }
  });

  it('reads audit events by action for one tenant and period, newest last', async () => {
    const at = (d: string) => new Date(`2026-11-${d}T10:00:00Z`);
    const keyEvent = (action: string, day: string) =>
      trail.record({
        action,
        tenantId: 'acme',
        occurredAt: at(day),
        actor: { type: 'user', id: 'u-admin' },
        targets: [{ type: 'api_key', id: 'k1' }],
      });
    keyEvent('api_key.create', '03');
    keyEvent('api_key.revoke', '05');
    trail.record({ action: 'api_key.create', tenantId: 'other', occurredAt: at('04') });
    trail.record({
      action: 'api_key.create',
      tenantId: 'acme',
      occurredAt: new Date('2026-10-30T00:00:00Z'),
    });
    trail.record({
      action: 'role.grant',
      tenantId: 'acme',
      occurredAt: at('06'),
      outcome: 'failure',
      reason: 'not an admin',
    });
    trail.record({ action: 'invoice.update', tenantId: 'acme', occurredAt: at('07') });
    await trail.flush();
    const all = platformCollectors({ audit: trail });
    const keys = await byId(all, 'api-keys').collect(ctx('acme'));
    expect(keys.status).toBe('collected');
    expect(keys.summary).toBe('2 event(s) matching api_key.*');
    const table = keys.files[0]?.table;
    expect(table?.rows.map((r) => [r[3], r[6], r[7]])).toEqual([
      ['api_key.create', 'u-admin', 'api_key:k1'],
      ['api_key.revoke', 'u-admin', 'api_key:k1'],
    ]);
    const access = await byId(all, 'access-changes').collect(ctx('acme'));
    expect(access.summary).toMatch(/^1 event\(s\).*1 refused or failed$/);
    const everyTenant = await byId(all, 'api-keys').collect(ctx());
    expect(everyTenant.summary).toMatch(/^3 event/);
  });

  it('verifies every tenant chain and reports each as a finding', async () => {
    const chain = await byId(platformCollectors({ audit: trail }), 'audit-chain').collect(ctx());
    expect(chain.status).toBe('collected');
    expect(chain.findings.map((f) => f.ok)).toEqual([true, true]);
    expect(chain.findings[0]?.detail).toMatch(/^acme: chain verifies \(5 events/);
    const rows = chain.files[0]?.table?.rows ?? [];
    expect(rows.find((r) => r[0] === 'acme')?.[6]).toBe(4); // events in the period
  });

  it('merges flag events of the trail with the flag store history', async () => {
    const flags = flagMemory();
    await flags.put?.({ key: 'checkout', serve: { variant: 'on' } } as never, { actor: 'u-ops' });
    const r = await byId(platformCollectors({ flags }), 'flag-changes').collect({
      ...ctx(),
      period: { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) },
    });
    expect(r.summary).toBe("1 change record(s) in the flag store's history");
    expect(r.files[0]?.table?.rows[0]?.slice(1, 5)).toEqual(['checkout', 1, 'create', 'u-ops']);
  });

  it('scores headers given and headers fetched from a live server', async () => {
    const secure = createSecurityHeaders({ preset: 'api' });
    const server = createServer((_req, res) => {
      secure.apply(res);
      res.end('ok');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const r = await byId(
        platformCollectors({
          headers: {
            targets: [
              { name: 'api', url, https: true },
              { name: 'bare', headers: { 'content-type': 'text/html' } },
            ],
          },
        }),
        'security-headers',
      ).collect(ctx());
      expect(r.findings.map((f) => f.ok)).toEqual([true, false]);
      expect(r.findings[0]?.detail).toMatch(/^api: grade A/);
      expect(r.findings[1]?.detail).toBe('bare: grade D (30), below A');
    } finally {
      server.close();
    }
  });

  it('reports AI usage by model from the cost ledger', async () => {
    const ledger = costMemory();
    const usage = {
      inputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 50,
      reasoningTokens: 0,
    };
    const rec = (id: string, model: string, cost: bigint) => ({
      id,
      at: Date.parse('2026-11-10T10:00:00Z'),
      day: '2026-11-10',
      tenant: 'acme',
      provider: 'openai',
      model,
      usage,
      totalTokens: 150,
      costNanoUsd: cost,
      priceVersion: 't',
      estimated: false,
      outcome: 'ok' as const,
    });
    await ledger.record([
      rec('a', 'gpt-4o', 1_500_000n),
      rec('b', 'gpt-4o', 1_500_000n),
      rec('c', 'claude', 7n),
    ]);
    const r = await byId(platformCollectors({ ledger }), 'ai-usage').collect(ctx('acme'));
    expect(r.summary).toBe('3 call(s) on 2 model(s), 450 tokens, USD 0.003000');
    expect(r.files[0]?.table?.rows.map((row) => [row[2], row[3]])).toEqual([
      ['claude', 1],
      ['gpt-4o', 2],
    ]);
  });

  it('describes configuration without functions, clients or secrets', () => {
    class Redis {}
    expect(
      describeConfig({
        limit: 10,
        key: function byUser() {},
        store: new Redis(),
        redisPassword: 'hunter2',
        nested: { webhookSecret: 's' },
      }),
    ).toEqual({
      limit: 10,
      key: '[function byUser]',
      store: '[Redis]',
      redisPassword: '[redacted]',
      nested: { webhookSecret: '[redacted]' },
    });
  });

  it('refuses malformed records of processing at construction', () => {
    expect(() =>
      processingRecords({
        records: { controller: { name: 'Acme', contact: '' }, activities: [] } as never,
      }),
    ).toThrow(/controller\.contact/);
  });
});
