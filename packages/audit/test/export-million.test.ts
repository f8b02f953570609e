import { expect, it } from 'vitest';
import { createSigner, GENESIS_HASH, hashEvent } from '../src/chain.js';
import { exportEvents, exportVerifier } from '../src/export.js';
import { type AuditEvent, SCHEMA_VERSION, type StoredEvent } from '../src/schema.js';

const N = 1_000_000;
const BOUND_MB = 128;

/** A store-shaped source that generates a real hash chain on the fly, in constant memory. */
async function* generatedChain(tenantId: string, n: number): AsyncGenerator<StoredEvent> {
  let prev = GENESIS_HASH;
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let seq = 1; seq <= n; seq++) {
    const at = new Date(t0 + seq).toISOString();
    const body: AuditEvent = {
      schemaVersion: SCHEMA_VERSION,
      id: `0190a0b0-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
      tenantId,
      seq,
      occurredAt: at,
      recordedAt: at,
      action: 'invoice.update',
      crud: 'u' as const,
      outcome: 'success' as const,
      severity: 'info' as const,
      actor: { type: 'user' as const, id: `u${seq % 97}` },
      targets: [{ type: 'invoice', id: `inv_${seq}` }],
      source: { ip: '203.0.113.9', userAgent: 'bulk' },
      request: { method: 'PUT', route: '/invoices/:id', requestId: `r${seq}` },
      metadata: {},
    };
    const hash = hashEvent(prev, body);
    yield { ...body, prevHash: prev, hash };
    prev = hash;
    if (seq % 10_000 === 0) await new Promise((r) => setImmediate(r));
  }
}

it(`exports ${N.toLocaleString('en')} events as CSV in bounded memory, and the manifest verifies`, async () => {
  const signer = createSigner(undefined, 'bulk');
  const before = process.memoryUsage().rss;
  let peak = before;
  const verifier = exportVerifier('csv');
  const { chunks, manifest } = exportEvents(generatedChain('bulk', N), {
    tenantId: 'bulk',
    format: 'csv',
    signer,
  });
  let bytes = 0;
  let i = 0;
  for await (const chunk of chunks) {
    verifier.update(chunk);
    bytes += chunk.length;
    if (++i % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const m = await manifest;
  const growthMb = (peak - before) / 1_048_576;
  console.log(
    `export: ${N} events, ${(bytes / 1_048_576).toFixed(0)} MiB of CSV, peak RSS growth ${growthMb.toFixed(1)} MiB`,
  );
  expect(m).toMatchObject({ count: N, firstSeq: 1, lastSeq: N, firstPrevHash: GENESIS_HASH });
  expect(verifier.finish(m, signer.publicKey)).toEqual({ ok: true, count: N });
  expect(bytes / 1_048_576).toBeGreaterThan(BOUND_MB * 2);
  expect(growthMb).toBeLessThan(BOUND_MB);
}, 120_000);
