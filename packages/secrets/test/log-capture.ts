import { Writable } from 'node:stream';
import type { PlatformLogger } from '@platform/core';
import { createLogger, LogLevels } from '@platform/tracing';

/** A @platform/tracing logger (with its redaction) whose every serialized line is kept. */
export function capturedLogger(): { logger: PlatformLogger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({
    destination,
    level: 'debug',
    levels: new LogLevels(),
    module: 'secrets-test',
  });
  return { logger, lines, text: () => lines.join('\n') };
}
