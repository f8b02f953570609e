import type { Migration } from '@platform/core/stores';

/**
 * What free-text search covers: action, actor, reason, targets and metadata strings (not
 * ids, hashes or user agents, which have their own filters), kept small so the GIN index
 * stays cheap to write.
 */
export const TEXT_VECTOR = `to_tsvector('simple'::regconfig, action || ' ' || actor_id || ' ' || coalesce(data->>'reason', '')) || jsonb_to_tsvector('simple'::regconfig, coalesce(data->'targets', '[]'::jsonb) || coalesce(data->'metadata', '{}'::jsonb), '["string"]'::jsonb)`;

/**
 * Version 1 of the audit tables in schema `s` (already quoted): what every release before
 * the store kit created, hence `IF NOT EXISTS`, so their databases migrate in place.
 */
function version1(s: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${s}.audit_events (
      tenant_id text NOT NULL,
      seq bigint NOT NULL,
      id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      action text NOT NULL,
      outcome text NOT NULL,
      actor_id text NOT NULL,
      request_id text,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      data jsonb NOT NULL,
      PRIMARY KEY (tenant_id, seq, recorded_at)
    ) PARTITION BY RANGE (recorded_at)`,
    `CREATE INDEX IF NOT EXISTS audit_events_tenant_time ON ${s}.audit_events (tenant_id, recorded_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS audit_events_actor ON ${s}.audit_events (actor_id, recorded_at DESC)`,
    `CREATE INDEX IF NOT EXISTS audit_events_action ON ${s}.audit_events (action text_pattern_ops)`,
    `CREATE INDEX IF NOT EXISTS audit_events_request ON ${s}.audit_events (request_id)`,
    `CREATE INDEX IF NOT EXISTS audit_events_id ON ${s}.audit_events (tenant_id, id)`,
    `CREATE INDEX IF NOT EXISTS audit_events_targets ON ${s}.audit_events USING gin ((data -> 'targets') jsonb_path_ops)`,
    `CREATE INDEX IF NOT EXISTS audit_events_text ON ${s}.audit_events USING gin ((${TEXT_VECTOR}))`,
    `CREATE TABLE IF NOT EXISTS ${s}.audit_chain_heads (
      tenant_id text PRIMARY KEY,
      seq bigint NOT NULL,
      hash text NOT NULL,
      recorded_at timestamptz NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.audit_checkpoints (
      tenant_id text NOT NULL,
      seq bigint NOT NULL,
      kind text NOT NULL,
      key_id text NOT NULL,
      hash text NOT NULL,
      created_at timestamptz NOT NULL,
      signature text NOT NULL,
      PRIMARY KEY (tenant_id, seq, kind, key_id)
    )`,
  ];
}

/** The audit store's migrations for schema `s` (already quoted), for the kit's `migrate`. */
export function auditMigrations(s: string): Migration[] {
  return [{ version: 1, up: version1(s) }];
}

/** First day of the month of `d` (UTC) and of the next month: one partition's bounds. */
export function monthOf(d: Date): { from: Date; to: Date; suffix: string } {
  const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  const suffix = `${from.getUTCFullYear()}${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { from, to, suffix };
}
