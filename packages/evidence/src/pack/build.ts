import type { CollectContext, Collector, CollectorResult } from '../collectors/types.js';
import { toCsv } from './csv.js';
import { type Manifest, signManifest } from './manifest.js';
import type { EvidencePackInput } from './options.js';
import { resolvePackOptions } from './options.js';
import { summaryPdf } from './pdf.js';
import { type CollectorOutcome, type ControlResult, controlResults } from './status.js';
import type { ArchiveEntry } from './tar.js';

const FILE_NAME = /^[A-Za-z0-9._-]{1,80}$/;

/** A pack built in memory: its files (manifest and signature included) and what they say. */
export interface BuiltPack {
  entries: ArchiveEntry[];
  manifest: Manifest;
  controls: ControlResult[];
  collectors: CollectorOutcome[];
  generatedAt: Date;
}

async function run(
  collector: Collector,
  context: Omit<CollectContext, 'signal'>,
  timeoutMs: number,
): Promise<CollectorResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      collector.collect({ ...context, signal: controller.signal }),
      timeout,
    ]);
  } catch (error) {
    return {
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      findings: [],
      files: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

const json = (value: unknown) =>
  Buffer.from(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );

const CONTROL_COLUMNS = ['framework', 'control', 'title', 'status', 'collectors', 'files', 'notes'];

/**
 * Runs every collector (one at a time, each bounded by `collectorTimeoutMs`; a collector that
 * throws or times out is recorded as failed, never thrown), maps the results onto the
 * templates' controls and builds the pack's files with a signed manifest.
 */
export async function buildPack(input: EvidencePackInput): Promise<BuiltPack> {
  const o = resolvePackOptions(input, 'evidencePack');
  const generatedAt = new Date();
  const context = { period: o.period, ...(o.tenant !== undefined && { tenant: o.tenant }) };
  const entries: ArchiveEntry[] = [];
  const outcomes = new Map<string, CollectorOutcome>();
  for (const collector of o.collectors) {
    const started = performance.now();
    const result = await run(collector, context, o.collectorTimeoutMs);
    const paths: string[] = [];
    for (const file of result.files) {
      if (!FILE_NAME.test(file.name))
        throw new Error(`collector ${collector.id}: bad evidence file name ${file.name}`);
      const base = `evidence/${collector.id}/${file.name}`;
      entries.push({ path: `${base}.json`, data: json(file.json) });
      paths.push(`${base}.json`);
      if (file.table) {
        entries.push({ path: `${base}.csv`, data: Buffer.from(toCsv(file.table)) });
        paths.push(`${base}.csv`);
      }
    }
    const { files: _files, ...rest } = result;
    outcomes.set(collector.id, {
      id: collector.id,
      title: collector.title,
      ...rest,
      files: paths,
      durationMs: Math.round(performance.now() - started),
    });
  }
  const collectors = [...outcomes.values()];
  const controls = controlResults(o.templates, outcomes);
  const fields: Omit<Manifest, 'format' | 'files'> = {
    generatedAt: generatedAt.toISOString(),
    period: { from: o.period.from.toISOString(), to: o.period.to.toISOString() },
    tenant: o.tenant ?? null,
    keyId: o.keyId,
    templates: o.templates.map((t) => ({ id: t.id, framework: t.framework, version: t.version })),
  };
  entries.push(
    { path: 'controls.json', data: json(controls) },
    {
      path: 'controls.csv',
      data: Buffer.from(
        toCsv({
          columns: CONTROL_COLUMNS,
          rows: controls.map((c) => [
            c.framework,
            c.controlId,
            c.title,
            c.status,
            c.collectors.join(' '),
            c.files.join(' '),
            c.notes.join('; '),
          ]),
        }),
      ),
    },
    { path: 'collectors.json', data: json(collectors) },
    { path: 'templates.json', data: json(o.templates) },
  );
  if (o.pdf) {
    const pdf = await summaryPdf({
      title: o.title,
      manifest: fields,
      templates: o.templates,
      controls,
      collectors,
    });
    entries.push({ path: 'summary.pdf', data: pdf });
  }
  const signed = signManifest(entries, fields, o.signingKey);
  const manifest = JSON.parse(Buffer.from(signed[0]!.data).toString('utf8')) as Manifest;
  return { entries: [...signed, ...entries], manifest, controls, collectors, generatedAt };
}
