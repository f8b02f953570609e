#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { type ScanFinding, scanEnv } from './env/scan.js';

const USAGE = `Usage: platform-secrets scan [--file <path>] [--ignore NAME,NAME] [--json] [--strict]

Lists the environment variables that look like they still hold secrets (secret-like
names, URLs with passwords, high-entropy tokens). Values are never printed.
  --file <path>      scan a dotenv file instead of this process's environment
  --ignore <names>   comma-separated variable names to leave out
  --json             print the findings as JSON
  --strict           exit with status 1 when anything is found (for CI)`;

class UsageError extends Error {}

function report(findings: ScanFinding[], source: string): string {
  if (findings.length === 0)
    return `No environment variable in ${source} looks like it holds a secret.\n`;
  const width = Math.max(...findings.map((f) => f.name.length));
  const rows = findings.map((f) => `  ${f.name.padEnd(width)}  ${f.reasons.join('; ')}`);
  return [
    `${findings.length} environment variable(s) in ${source} look like they hold secrets (values not shown):`,
    ...rows,
    '',
    `Move each to a provider and reference it, e.g. ${findings[0]!.name}=secret://vault/app/${findings[0]!.name.toLowerCase()}#value`,
    '',
  ].join('\n');
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      ignore: { type: 'string' },
      json: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'scan')
    throw new UsageError(
      positionals.length ? `unknown command "${positionals[0]}"` : 'no command given',
    );
  const file = values.file;
  let env: Record<string, string | undefined> = process.env;
  if (file !== undefined) {
    try {
      env = parseEnv(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
  }
  const ignore = values.ignore
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const findings = scanEnv(env, { ignore });
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ findings }, null, 2)}\n`
      : report(findings, file ?? 'the environment'),
  );
  return values.strict && findings.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`platform-secrets: ${message}\n\n${USAGE}\n`);
  process.exitCode = 2;
}
