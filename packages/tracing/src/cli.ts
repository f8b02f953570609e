#!/usr/bin/env node
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildTimeline, isErrorRecord, type LogRecord, timelineToMarkdown } from './timeline.js';

const USAGE = `Usage: platform-logs <command> [options] [file ...]   (reads stdin when no file is given)

Commands:
  inspect <requestId>   everything one request logged (timeline)
  trace <traceId>       every line of one trace
  errors                the most recent error lines (level >= error or status >= 500)

Options:
  --format json|markdown   output format (default: markdown for inspect/trace, json for errors)
  --last N                 how many error lines (default 10)
  -h, --help
`;

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

async function* readRecords(files: string[], stdin: Readable): AsyncGenerator<LogRecord> {
  const sources = files.length ? files.map((f) => createReadStream(f, 'utf8')) : [stdin];
  for (const source of sources) {
    const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      const trimmed = line.trim();
      if (!trimmed.startsWith('{')) continue;
      try {
        const record = JSON.parse(trimmed) as unknown;
        if (record && typeof record === 'object' && !Array.isArray(record))
          yield record as LogRecord;
      } catch {
        // not a JSON line (pretty output, a stack trace): skipped
      }
    }
  }
}

/**
 * The `platform-logs` CLI: inspects NDJSON log files (or stdin) written by
 * `createLogger`. Returns the exit code.
 *
 * @example
 * await runCli(['errors', '--last', '5', 'app.log'], process);
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`platform-logs: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  const format = values.format;
  if (format !== undefined && format !== 'json' && format !== 'markdown') {
    io.stderr.write(`platform-logs: --format must be json or markdown (got "${format}")\n`);
    return 2;
  }
  try {
    switch (command) {
      case 'inspect':
      case 'trace': {
        const [id, ...files] = rest;
        if (!id) {
          io.stderr.write(`platform-logs: ${command} needs an id\n\n${USAGE}`);
          return 2;
        }
        const records: LogRecord[] = [];
        for await (const r of readRecords(files, io.stdin)) records.push(r);
        const timeline = buildTimeline(
          records,
          [],
          command === 'inspect' ? { requestId: id } : { traceId: id },
        );
        if (timeline.logs.length === 0) {
          io.stderr.write(
            `platform-logs: no lines for ${command === 'inspect' ? 'request' : 'trace'} ${id}\n`,
          );
          return 1;
        }
        io.stdout.write(
          format === 'json'
            ? `${JSON.stringify(timeline, null, 2)}\n`
            : timelineToMarkdown(timeline),
        );
        return 0;
      }
      case 'errors': {
        const last = values.last === undefined ? 10 : Number(values.last);
        if (!Number.isInteger(last) || last < 1) {
          io.stderr.write(
            `platform-logs: --last must be a positive integer (got "${values.last}")\n`,
          );
          return 2;
        }
        const ring: LogRecord[] = [];
        for await (const r of readRecords(rest, io.stdin)) {
          if (!isErrorRecord(r)) continue;
          ring.push(r);
          if (ring.length > last) ring.shift();
        }
        if (format === 'markdown') {
          const rows = ring.map(
            (r) =>
              `| ${r.time ?? ''} | ${r.requestId ?? ''} | ${r.status ?? ''} | ${String(r.msg ?? '').replaceAll('|', '\\|')} |`,
          );
          io.stdout.write(
            ['| time | requestId | status | message |', '|---|---|---|---|', ...rows, ''].join(
              '\n',
            ),
          );
        } else {
          for (const r of ring) io.stdout.write(`${JSON.stringify(r)}\n`);
        }
        return 0;
      }
      default:
        io.stderr.write(`platform-logs: unknown command "${command.slice(0, 32)}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    io.stderr.write(`platform-logs: ${(error as Error).message}\n`);
    return 1;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      last: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

// Run as dist/cli.js, or through bin/platform-logs.js (npm links it as platform-logs).
const invoked = process.argv[1] ?? '';
if (/(?:platform-logs(?:\.js)?|[\\/]cli\.(?:c?js|ts))$/.test(invoked)) {
  void runCli(process.argv.slice(2), process).then((code) => {
    process.exitCode = code;
  });
}
