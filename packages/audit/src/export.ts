import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { GENESIS_HASH, hashEvent, type Signer } from './chain.js';
import type { StoredEvent } from './schema.js';
import type { ChainRange } from './store.js';

export type ExportFormat = 'ndjson' | 'csv';

/** Signed description of one export file, verifiable offline with the public key. */
export interface ExportManifest {
  version: 1;
  format: ExportFormat;
  tenantId: string;
  count: number;
  firstSeq?: number;
  lastSeq?: number;
  /** prevHash of the first event: the chain link the file starts from. */
  firstPrevHash?: string;
  firstHash?: string;
  lastHash?: string;
  /** SHA-256 (hex) of the exported bytes. */
  sha256: string;
  bytes: number;
  createdAt: string;
  keyId: string;
  signature: string;
}

const MANIFEST_DOMAIN = 'platform-audit:export:v1\n';
const manifestBytes = (m: Omit<ExportManifest, 'signature'>) => {
  const { signature: _s, ...body } = m as ExportManifest;
  return Buffer.from(MANIFEST_DOMAIN + canonicalJson(body));
};

export const CSV_COLUMNS = [
  'seq',
  'id',
  'tenant_id',
  'occurred_at',
  'recorded_at',
  'action',
  'crud',
  'outcome',
  'status_code',
  'severity',
  'actor_type',
  'actor_id',
  'targets',
  'ip',
  'user_agent',
  'method',
  'route',
  'request_id',
  'trace_id',
  'prev_hash',
  'hash',
] as const;

/** Quotes a CSV cell; a leading =, +, -, @ is prefixed with ' so spreadsheets never run it. */
function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(e: StoredEvent): string {
  const t = e.targets.map((x) => `${x.type}:${x.id}`).join(' ');
  return `${[
    e.seq,
    e.id,
    e.tenantId,
    e.occurredAt,
    e.recordedAt,
    e.action,
    e.crud,
    e.outcome,
    e.statusCode,
    e.severity,
    e.actor.type,
    e.actor.id,
    t,
    e.source.ip,
    e.source.userAgent,
    e.request.method,
    e.request.route,
    e.request.requestId,
    e.request.traceId,
    e.prevHash,
    e.hash,
  ]
    .map(cell)
    .join(',')}\r\n`;
}

export interface ExportStream {
  /** The file, in chunks of about 64 KiB; read it once. */
  chunks: AsyncIterable<string>;
  /** Resolves with the signed manifest once `chunks` is fully read. */
  manifest: Promise<ExportManifest>;
}

/**
 * Streams a tenant's chain as NDJSON (one stored event per line) or CSV, in constant
 * memory, and signs a manifest (count, first/last seq and hash, SHA-256 of the bytes).
 *
 * @example
 * const { chunks, manifest } = exportEvents(store.export({ tenantId: 'acme' }), { tenantId: 'acme', format: 'csv', signer });
 * await pipeline(Readable.from(chunks), createWriteStream('acme.csv'));
 * await writeFile('acme.csv.manifest.json', JSON.stringify(await manifest));
 */
export function exportEvents(
  events: AsyncIterable<StoredEvent>,
  options: Pick<ChainRange, 'tenantId'> & { format: ExportFormat; signer: Signer },
): ExportStream {
  let resolve!: (m: ExportManifest) => void;
  let reject!: (e: unknown) => void;
  const manifest = new Promise<ExportManifest>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  manifest.catch(() => undefined);
  async function* chunks(): AsyncGenerator<string> {
    const hash = createHash('sha256');
    let bytes = 0;
    let count = 0;
    let first: StoredEvent | undefined;
    let last: StoredEvent | undefined;
    let buf = options.format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';
    const emit = (s: string) => {
      hash.update(s);
      bytes += Buffer.byteLength(s);
      return s;
    };
    try {
      for await (const e of events) {
        if (e.tenantId !== options.tenantId) continue;
        first ??= e;
        last = e;
        count++;
        buf += options.format === 'csv' ? csvRow(e) : `${JSON.stringify(e)}\n`;
        if (buf.length >= 65_536) {
          yield emit(buf);
          buf = '';
        }
      }
      if (buf) yield emit(buf);
      const body: Omit<ExportManifest, 'signature'> = {
        version: 1,
        format: options.format,
        tenantId: options.tenantId,
        count,
        ...(first && { firstSeq: first.seq, firstPrevHash: first.prevHash, firstHash: first.hash }),
        ...(last && { lastSeq: last.seq, lastHash: last.hash }),
        sha256: hash.digest('hex'),
        bytes,
        createdAt: new Date().toISOString(),
        keyId: options.signer.keyId,
      };
      resolve({
        ...body,
        signature: sign(null, manifestBytes(body), options.signer.privateKey).toString('base64'),
      });
    } catch (error) {
      reject(error);
      throw error;
    }
  }
  return { chunks: chunks(), manifest };
}

export interface ExportCheck {
  ok: boolean;
  /** What failed first: signature, sha256, count, or the chain inside an NDJSON file (with the line). */
  problem?: string;
  count: number;
}

/**
 * Verifies an export offline, incrementally: feed the file's bytes with `update()`, then
 * `finish(manifest, publicKey)`. Checks the manifest signature, the SHA-256, the count and,
 * for NDJSON, every hash link from `firstPrevHash` to `lastHash`.
 */
export function exportVerifier(format: ExportFormat) {
  const hash = createHash('sha256');
  let rows = 0;
  let pending = '';
  let header = format === 'csv';
  let prev: string | undefined;
  let lastHash: string | undefined;
  let firstPrev: string | undefined;
  let broken: string | undefined;
  const line = (l: string) => {
    if (!l) return;
    if (header) {
      header = false;
      return;
    }
    rows++;
    if (format === 'csv') {
      lastHash = l.slice(l.lastIndexOf(',') + 1);
      return;
    }
    if (broken) return;
    const e = JSON.parse(l) as StoredEvent;
    firstPrev ??= e.prevHash;
    if ((prev !== undefined && e.prevHash !== prev) || hashEvent(e.prevHash, e) !== e.hash)
      broken = `chain broken at line ${rows} (seq ${e.seq})`;
    prev = e.hash;
    lastHash = e.hash;
  };
  return {
    update(chunk: string | Buffer) {
      hash.update(chunk);
      const text = pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      const parts = text.split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const p of parts) line(p);
    },
    finish(manifest: ExportManifest, publicKey: KeyObject): ExportCheck {
      line(pending);
      const fail = (problem: string): ExportCheck => ({ ok: false, problem, count: rows });
      if (
        !verify(null, manifestBytes(manifest), publicKey, Buffer.from(manifest.signature, 'base64'))
      )
        return fail('manifest signature does not verify');
      if (hash.digest('hex') !== manifest.sha256)
        return fail('sha256 of the file differs from the manifest');
      if (rows !== manifest.count)
        return fail(`file has ${rows} events, manifest says ${manifest.count}`);
      if (broken) return fail(broken);
      if (rows > 0 && lastHash !== manifest.lastHash)
        return fail('last hash differs from the manifest');
      if (format === 'ndjson' && rows > 0 && firstPrev !== manifest.firstPrevHash)
        return fail('first link differs from the manifest');
      if (manifest.firstSeq === 1 && manifest.firstPrevHash !== GENESIS_HASH)
        return fail('seq 1 does not start from the genesis hash');
      return { ok: true, count: rows };
    },
  };
}
