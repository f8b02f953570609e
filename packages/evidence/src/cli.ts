#!/usr/bin/env node
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyPack } from './pack/generate.js';

const USAGE = `usage: platform-evidence verify <archive or directory> --public-key <pem file> [--json]

  Checks the pack's manifest signature (Ed25519) and every file's SHA-256.
  Exit codes: 0 the pack is intact, 1 it was tampered with or is unreadable, 2 usage error.`;

class UsageError extends Error {}

/** Runs the CLI; returns the exit code. */
export async function main(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, path, ...extra] = positionals;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (command !== 'verify')
    throw new UsageError(command ? `unknown command ${command}` : 'no command given');
  if (!path || extra.length > 0) throw new UsageError('verify takes one archive or directory');
  const keyFile = values['public-key'];
  if (!keyFile) throw new UsageError('--public-key <pem file> is required');
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(keyFile, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the public key ${keyFile}: ${(error as Error).message}`);
  }
  const result = await verifyPack(path, key);
  if (values.json) {
    const { manifest: _m, ...rest } = result;
    out(JSON.stringify(rest));
  } else if (result.ok) {
    out(`ok: ${result.verified} files match the manifest signed by key "${result.keyId}"`);
  } else {
    out(`FAILED: ${path} does not verify`);
    for (const p of result.problems) out(`  ${p.problem}: ${p.path}: ${p.detail}`);
  }
  return result.ok ? 0 : 1;
}

// Run as dist/cli.js, or through bin/platform-evidence.js (npm links it as platform-evidence).
const entry = basename(process.argv[1] ?? '');
if (/^(cli\.(c?js|ts)|platform-evidence(\.js)?)$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`platform-evidence: ${error instanceof Error ? error.message : String(error)}`);
      if (
        error instanceof UsageError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      )
        console.error(USAGE);
      process.exit(2);
    },
  );
}
