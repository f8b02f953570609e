import { describe, expect, it } from 'vitest';
import { createSigner } from './chain.js';
import { type ExportFormat, exportEvents, exportVerifier } from './export.js';
import { memoryStore } from './stores/memory.js';
import { sampleEvent } from './testkit.js';

const signer = createSigner(undefined, 'exp');

async function build(format: ExportFormat, n = 40) {
  const store = memoryStore();
  await store.append(
    Array.from({ length: n }, (_, i) =>
      sampleEvent('acme', {
        metadata: { note: i === 3 ? 'comma, "quote"\nnewline' : `n${i}` },
        actor: { type: 'user', id: i === 5 ? '=HYPERLINK("x")' : 'u1' },
      }),
    ),
  );
  const { chunks, manifest } = exportEvents(store.export({ tenantId: 'acme' }), {
    tenantId: 'acme',
    format,
    signer,
  });
  let text = '';
  for await (const c of chunks) text += c;
  return { text, manifest: await manifest };
}

const check = (
  format: ExportFormat,
  text: string,
  manifest: Awaited<ReturnType<typeof build>>['manifest'],
  key = signer.publicKey,
) => {
  const v = exportVerifier(format);
  // split mid-line on purpose: the verifier must not care where chunks end
  for (let i = 0; i < text.length; i += 777) v.update(text.slice(i, i + 777));
  return v.finish(manifest, key);
};

describe('export', () => {
  it('streams NDJSON whose signed manifest and inner chain verify offline', async () => {
    const { text, manifest } = await build('ndjson');
    expect(text.trim().split('\n')).toHaveLength(40);
    expect(manifest).toMatchObject({
      count: 40,
      firstSeq: 1,
      lastSeq: 40,
      tenantId: 'acme',
      keyId: 'exp',
    });
    expect(check('ndjson', text, manifest)).toEqual({ ok: true, count: 40 });
  });

  it('streams CSV with a header, quoting, and formula cells neutralized', async () => {
    const { text, manifest } = await build('csv');
    expect(text.startsWith('seq,id,tenant_id,')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(check('csv', text, manifest)).toEqual({ ok: true, count: 40 });
  });

  it('detects an edited byte, a forged manifest and a wrong key', async () => {
    const { text, manifest } = await build('ndjson');
    expect(check('ndjson', text.replace('"n7"', '"n8"'), manifest).problem).toMatch(/sha256/);
    expect(check('ndjson', text, { ...manifest, count: 39 }).problem).toMatch(/signature/);
    expect(check('ndjson', text, manifest, createSigner().publicKey).problem).toMatch(/signature/);
  });

  it('exports an empty chain with a valid manifest', async () => {
    const store = memoryStore();
    const { chunks, manifest } = exportEvents(store.export({ tenantId: 'none' }), {
      tenantId: 'none',
      format: 'ndjson',
      signer,
    });
    for await (const _ of chunks) throw new Error('no chunk expected');
    const m = await manifest;
    expect(m.count).toBe(0);
    expect(exportVerifier('ndjson').finish(m, signer.publicKey)).toEqual({ ok: true, count: 0 });
  });
});
