import type { KeyObject } from 'node:crypto';
import type { AuditTrail } from '@platform/audit';
import type { LedgerStore } from '@platform/cost';
import type { FlagStore } from '@platform/flags';
import { aiUsage } from './ai-usage.js';
import { auditChain } from './audit-chain.js';
import { auditEvents } from './audit-events.js';
import { rateLimits, retention } from './config.js';
import { flagChanges } from './flags.js';
import { type SecurityHeadersOptions, securityHeaders } from './headers.js';
import { type ProcessingRecords, processingRecords } from './processing-records.js';
import type { Collector } from './types.js';

/** Audit actions each event collector reads by default; override per host. */
export const DEFAULT_ACTIONS = {
  'access-changes': [
    'role.*',
    'permission.*',
    'member.*',
    'user.role.*',
    'user.create',
    'user.delete',
    'user.disable',
    'session.revoke',
  ],
  'api-keys': ['api_key.*'],
  'privacy-requests': ['privacy.*'],
} as const;

export interface PlatformSources {
  /** `@platform/audit`'s trail: chain verification and events by action. */
  audit?: Pick<AuditTrail, 'store' | 'verify'>;
  /** Extra public keys for checkpoint verification. */
  auditPublicKeys?: Record<string, KeyObject>;
  /** Action names per event collector (defaults: `DEFAULT_ACTIONS`). */
  actions?: Partial<Record<keyof typeof DEFAULT_ACTIONS | 'flag-changes', readonly string[]>>;
  /** `@platform/flags`'s store, for its change history. */
  flags?: Pick<FlagStore, 'load' | 'history'>;
  headers?: SecurityHeadersOptions;
  /** Rate-limit configuration as the host passes it to `rateLimiter()`. */
  rateLimits?: unknown;
  /** Retention configuration (audit retention days, legal holds, ledger retention, …). */
  retention?: unknown;
  /** `@platform/cost`'s ledger. */
  ledger?: LedgerStore;
  /** GDPR Article 30 records of processing. */
  processingRecords?: ProcessingRecords;
}

/**
 * Every collector the shipped templates name, wired to the sources the host has. A source
 * left out makes its collector answer "not collected" with the reason.
 *
 * @example
 * const collectors = platformCollectors({ audit: trail, ledger: costStore, headers: { targets } });
 */
export function platformCollectors(sources: PlatformSources): Collector[] {
  const trail = sources.audit;
  const actions = { ...DEFAULT_ACTIONS, ...sources.actions };
  return [
    auditChain({ trail, publicKeys: sources.auditPublicKeys }),
    auditEvents('access-changes', 'Admin, role and membership changes', {
      trail,
      actions: actions['access-changes'],
    }),
    auditEvents('api-keys', 'API key lifecycle', { trail, actions: actions['api-keys'] }),
    flagChanges({ trail, store: sources.flags, actions: actions['flag-changes'] }),
    securityHeaders(sources.headers ?? {}),
    rateLimits({ config: sources.rateLimits }),
    retention({ config: sources.retention, trail }),
    auditEvents('privacy-requests', 'Erasure and export requests', {
      trail,
      actions: actions['privacy-requests'],
    }),
    aiUsage({ ledger: sources.ledger }),
    processingRecords({ records: sources.processingRecords }),
  ];
}
