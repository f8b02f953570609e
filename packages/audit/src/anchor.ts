import { appendFile, readFile } from 'node:fs/promises';
import type { Checkpoint } from './chain.js';

/**
 * A place outside the database that keeps copies of the signed checkpoints, so someone who
 * can rewrite the tables (and delete the checkpoint rows) is still caught: a file on other
 * storage, an object store with a retention lock, a SIEM, a ticketing system.
 */
export interface CheckpointAnchor {
  /** Keeps one checkpoint. A failure is reported to the trail's `onError` ('checkpoint'). */
  save(checkpoint: Checkpoint): void | Promise<void>;
  /** A tenant's checkpoints, for `verify()`; write-only anchors (a webhook, a log) leave it out. */
  load?(tenantId: string): Checkpoint[] | Promise<Checkpoint[]>;
}

/**
 * Appends each checkpoint as one JSON line to `path` (put it on storage the database
 * administrators cannot write), and reads them back for verification; the CLI takes the
 * same file as `--anchor <file>`.
 *
 * @example
 * const audit = auditTrail({ store, signing, checkpoint: { anchor: fileAnchor('/mnt/worm/audit-checkpoints.ndjson') } });
 */
export function fileAnchor(path: string): CheckpointAnchor {
  return {
    save: (cp) => appendFile(path, `${JSON.stringify(cp)}\n`),
    async load(tenantId) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return [];
        throw error;
      }
      const out: Checkpoint[] = [];
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const cp = JSON.parse(line) as Checkpoint;
        if (cp.tenantId === tenantId) out.push(cp);
      }
      return out;
    },
  };
}

export interface WebhookAnchorOptions {
  /** Receives each checkpoint as a JSON POST; any 2xx answer counts as kept. */
  url: string | URL;
  headers?: Record<string, string>;
  /** Default 5,000. */
  timeoutMs?: number;
  /** Reads a tenant's checkpoints back (from wherever the webhook put them), for `verify()`. */
  load?: (tenantId: string) => Checkpoint[] | Promise<Checkpoint[]>;
}

/**
 * Posts each checkpoint to a webhook (a SIEM collector, a ticketing system, a function that
 * writes to an object store with a retention lock).
 *
 * @example
 * checkpoint: { anchor: webhookAnchor({ url: 'https://siem.example.com/audit-checkpoints', headers: { authorization: `Bearer ${token}` } }) }
 */
export function webhookAnchor(options: WebhookAnchorOptions): CheckpointAnchor {
  return {
    async save(cp) {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(cp),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`checkpoint webhook answered ${res.status}`);
    },
    ...(options.load && { load: options.load }),
  };
}
