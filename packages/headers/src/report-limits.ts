import { formatIp, maskIp, parseIp } from '@platform/core';
import type { CspViolation } from './report-format.js';

/** The per-client key: the address, an IPv6 client by its /64 (one host usually holds one). */
export function clientKey(ip: string | undefined): string {
  const parsed = parseIp(ip);
  if (!parsed) return 'unknown';
  return formatIp(parsed.version === 6 ? maskIp(parsed, 64) : parsed);
}

interface Window {
  start: number;
  used: number;
}

/**
 * Fixed-window quotas per client key, holding at most `maxClients` keys: expired
 * windows are swept first, then the longest-unused key is evicted.
 */
export function clientQuotas(max: number, windowMs: number, maxClients: number) {
  const windows = new Map<string, Window>();
  const sweep = (now: number) => {
    for (const [key, w] of windows) if (now - w.start >= windowMs) windows.delete(key);
    while (windows.size >= maxClients) {
      const oldest = windows.keys().next().value;
      if (oldest === undefined) break;
      windows.delete(oldest);
    }
  };
  return {
    /** How many of `wanted` the client may still send in its current window (and takes them). */
    take(key: string, wanted: number, now = Date.now()): number {
      let w = windows.get(key);
      if (w && now - w.start >= windowMs) {
        windows.delete(key);
        w = undefined;
      }
      if (!w) {
        if (windows.size >= maxClients) sweep(now);
        w = { start: now, used: 0 };
      } else windows.delete(key);
      windows.set(key, w); // most recently used last, so eviction takes the stalest
      const granted = Math.max(0, Math.min(wanted, max - w.used));
      w.used += granted;
      return granted;
    },
    get size() {
      return windows.size;
    },
  };
}

/** One emitted line: the first violation of a group, how many it stands for, and when. */
export interface AggregatedViolation extends CspViolation {
  count: number;
  firstSeen: string;
  lastSeen: string;
}

interface Group {
  first: CspViolation;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Groups repeated violations (same effective directive, blocked URI and document) into
 * one record with a count, holding at most `maxGroups` groups until `drain()`.
 */
export function violationGroups(maxGroups: number) {
  let groups = new Map<string, Group>();
  return {
    /** False when the violation opens a new group and `maxGroups` are already held. */
    add(v: CspViolation, now = Date.now()): boolean {
      const key = `${v.effectiveDirective}\u0000${v.blockedUri ?? ''}\u0000${v.documentUri}`;
      const group = groups.get(key);
      if (group) {
        group.count++;
        group.lastSeen = now;
        return true;
      }
      if (groups.size >= maxGroups) return false;
      groups.set(key, { first: v, count: 1, firstSeen: now, lastSeen: now });
      return true;
    },
    drain(): AggregatedViolation[] {
      const out = [...groups.values()].map((g) => ({
        ...g.first,
        count: g.count,
        firstSeen: new Date(g.firstSeen).toISOString(),
        lastSeen: new Date(g.lastSeen).toISOString(),
      }));
      groups = new Map();
      return out;
    },
    get size() {
      return groups.size;
    },
  };
}
