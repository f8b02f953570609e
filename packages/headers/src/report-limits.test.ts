import { describe, expect, it } from 'vitest';
import { clientKey, clientQuotas, violationGroups } from './report-limits.js';

describe('clientQuotas', () => {
  it('grants up to max per window and starts a new window after windowMs', () => {
    const q = clientQuotas(10, 1_000, 100);
    expect(q.take('a', 6, 0)).toBe(6);
    expect(q.take('a', 6, 10)).toBe(4);
    expect(q.take('a', 1, 999)).toBe(0);
    expect(q.take('b', 3, 999)).toBe(3);
    expect(q.take('a', 6, 1_000)).toBe(6);
  });

  it('never holds more than maxClients addresses', () => {
    const q = clientQuotas(10, 60_000, 50);
    for (let i = 0; i < 5_000; i++) q.take(`c${i}`, 1, i);
    expect(q.size).toBeLessThanOrEqual(50);
    // the most recent clients are the ones remembered
    expect(q.take('c4999', 10, 5_000)).toBe(9);
  });
});

describe('clientKey', () => {
  it('keys an IPv6 client by its /64 and normalizes addresses', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe(clientKey('2001:db8:1:2:bbbb::9'));
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey(undefined)).toBe('unknown');
  });
});

describe('violationGroups', () => {
  const v = (blockedUri: string, documentUri = 'https://a/') => ({
    documentUri,
    blockedUri,
    effectiveDirective: 'img-src',
    disposition: 'enforce' as const,
    format: 'csp-report' as const,
  });

  it('groups by directive, blocked URI and document, and drains once', () => {
    const g = violationGroups(10);
    g.add(v('x'), 1);
    g.add(v('x'), 5);
    g.add(v('x', 'https://b/'), 6);
    const out = g.drain();
    expect(out.map((r) => [r.blockedUri, r.documentUri, r.count])).toEqual([
      ['x', 'https://a/', 2],
      ['x', 'https://b/', 1],
    ]);
    expect(out[0]).toMatchObject({
      firstSeen: new Date(1).toISOString(),
      lastSeen: new Date(5).toISOString(),
    });
    expect(g.drain()).toEqual([]);
  });

  it('refuses new groups beyond maxGroups but keeps counting known ones', () => {
    const g = violationGroups(2);
    expect(g.add(v('a'))).toBe(true);
    expect(g.add(v('b'))).toBe(true);
    expect(g.add(v('c'))).toBe(false);
    expect(g.add(v('a'))).toBe(true);
    expect(g.size).toBe(2);
  });
});
