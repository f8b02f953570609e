#!/usr/bin/env node
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { basename } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { SqlClient } from '@platform/core';
import { fileAnchor } from './anchor.js';
import { createSigner, signCheckpoint } from './chain.js';
import { type ExportManifest, exportEvents, exportVerifier } from './export.js';
import { postgresStore } from './stores/postgres.js';
import { verifyChain } from './verify.js';

const USAGE = `usage: platform-audit <command> [options]   (reads DATABASE_URL)

  verify  [--tenant <id>]... [--anchor <file>]...
                                        check every (or the given) tenant's hash chain, and
                                        against checkpoints kept outside the database
  export  --tenant <id> [--format ndjson|csv] --out <file>
                                        stream a tenant's chain; writes <file>.manifest.json
  verify-export --manifest <file> <export-file>
                                        check an export offline against its signed manifest
  purge   [--retention-days <n> | --before <iso date>] [--hold <tenant>]...
                                        drop expired monthly partitions (legal holds kept)

  --schema <name>       schema of the audit tables (default public)
  --key <pem>           Ed25519 private key (file or PEM) for signing; default $AUDIT_SIGNING_KEY
  --key-id <id>         its key id (default $AUDIT_KEY_ID or "default")
  --public-key <id=pem> extra public keys that checkpoints may be signed with (repeatable)
  --anchor <file>       checkpoints kept outside the database (fileAnchor's NDJSON), verify only
`;

const readPem = (v: string) => (existsSync(v) ? readFileSync(v, 'utf8') : v);

/** Runs the CLI; returns the exit code (0 ok, 1 verification failed, 2 usage or setup error). */
export async function main(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string', multiple: true },
      anchor: { type: 'string', multiple: true },
      format: { type: 'string', default: 'ndjson' },
      out: { type: 'string' },
      manifest: { type: 'string' },
      'retention-days': { type: 'string' },
      before: { type: 'string' },
      hold: { type: 'string', multiple: true },
      schema: { type: 'string' },
      key: { type: 'string' },
      'key-id': { type: 'string' },
      'public-key': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command ? 0 : 2;
  }
  const keyText = values.key ?? process.env.AUDIT_SIGNING_KEY;
  const signer = createSigner(
    keyText ? createPrivateKey(readPem(keyText)) : undefined,
    values['key-id'] ?? process.env.AUDIT_KEY_ID,
  );
  const publicKeys: Record<string, KeyObject> = { [signer.keyId]: signer.publicKey };
  for (const entry of values['public-key'] ?? []) {
    const i = entry.indexOf('=');
    if (i < 1) throw new UsageError(`--public-key ${entry}: expected <id>=<pem file or PEM>`);
    publicKeys[entry.slice(0, i)] = createPublicKey(readPem(entry.slice(i + 1)));
  }

  if (command === 'verify-export') {
    if (!values.manifest || !rest[0])
      throw new UsageError('verify-export needs --manifest <file> and the export file');
    const manifest = JSON.parse(readFileSync(values.manifest, 'utf8')) as ExportManifest;
    const key = publicKeys[manifest.keyId];
    if (!key)
      throw new UsageError(
        `no public key for key id ${manifest.keyId} (use --public-key ${manifest.keyId}=<pem>)`,
      );
    const v = exportVerifier(manifest.format);
    await pipeline(
      createReadStream(rest[0]),
      new Writable({
        write: (chunk, _e, cb) => {
          v.update(chunk);
          cb();
        },
      }),
    );
    const result = v.finish(manifest, key);
    out(JSON.stringify(result));
    return result.ok ? 0 : 1;
  }

  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError('DATABASE_URL is not set');
  const pg = await import('pg');
  const pool = new pg.default.Pool({ connectionString: url, max: 2 });
  try {
    const store = postgresStore({ client: pool as unknown as SqlClient, schema: values.schema });
    switch (command) {
      case 'verify': {
        let failed = 0;
        const anchors = (values.anchor ?? []).map((file) => {
          if (!existsSync(file)) throw new UsageError(`--anchor ${file}: no such file`);
          return fileAnchor(file);
        });
        for (const tenantId of values.tenant ?? (await store.tenants())) {
          const anchored = (await Promise.all(anchors.map((a) => a.load?.(tenantId) ?? []))).flat();
          const r = await verifyChain(store, { tenantId, publicKeys, anchored });
          if (!r.ok) failed++;
          out(JSON.stringify(r));
        }
        return failed ? 1 : 0;
      }
      case 'export': {
        const tenantId = values.tenant?.[0];
        const format = values.format;
        if (!tenantId || !values.out) throw new UsageError('export needs --tenant and --out');
        if (format !== 'ndjson' && format !== 'csv')
          throw new UsageError('--format: ndjson or csv');
        const head = await store.head(tenantId);
        const { chunks, manifest } = exportEvents(
          store.export({ tenantId, toSeq: head?.seq ?? 0 }),
          { tenantId, format, signer },
        );
        await pipeline(Readable.from(chunks), createWriteStream(values.out));
        const m = await manifest;
        writeFileSync(`${values.out}.manifest.json`, `${JSON.stringify(m, null, 2)}\n`);
        out(
          JSON.stringify({
            file: values.out,
            manifest: `${values.out}.manifest.json`,
            count: m.count,
            sha256: m.sha256,
          }),
        );
        return 0;
      }
      case 'purge': {
        const days = values['retention-days'] ? Number(values['retention-days']) : 7 * 365;
        const before = values.before
          ? new Date(values.before)
          : new Date(Date.now() - days * 86_400_000);
        if (Number.isNaN(before.getTime()) || !Number.isFinite(days))
          throw new UsageError('--before / --retention-days: not a date / number');
        const result = await store.purge({
          before,
          holds: values.hold ?? [],
          sign: (b) => signCheckpoint(signer, { ...b, kind: 'purge' }),
        });
        await store.append([
          {
            schemaVersion: 1,
            id: (await import('@platform/core')).uuidv7(),
            tenantId: 'default',
            occurredAt: new Date().toISOString(),
            action: 'audit.purge',
            crud: 'd',
            outcome: 'success',
            severity: 'info',
            actor: { type: 'system', id: 'platform-audit-cli' },
            targets: [],
            source: {},
            request: {},
            metadata: {
              before: before.toISOString(),
              holds: values.hold ?? [],
              removed: result.removed,
              dropped: result.dropped,
              kept: result.kept,
            },
          },
        ]);
        out(
          JSON.stringify({ removed: result.removed, dropped: result.dropped, kept: result.kept }),
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await pool.end();
  }
}

class UsageError extends Error {}

// Run as dist/cli.js, or through bin/platform-audit.js (npm links it as platform-audit).
const entry = basename(process.argv[1] ?? '');
if (/^(cli\.(c?js|ts)|platform-audit(\.js)?)$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`platform-audit: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(2);
    },
  );
}
